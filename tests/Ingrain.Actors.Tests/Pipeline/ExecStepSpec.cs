using Ingrain.Actors.Components;
using Xunit;
using System.Text.RegularExpressions;

namespace Ingrain.Actors.Tests.Pipeline;

public sealed class ExecStepSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ingrain-exec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ExecOptions Options(string[] command, params TagCondition[] onlyIf) =>
        new(command, onlyIf, MaxPerSecond: 100, Timeout: TimeSpan.FromSeconds(10), MaxConcurrent: 2, QueueSize: 16);

    [Fact]
    public async Task Runs_argv_with_tag_substitution_only_when_conditions_match_and_forwards_unchanged()
    {
        var step = new ExecStep(Options(["/usr/bin/touch", $"{_dir}/pid-{{ process_id }}"],
            new TagCondition("process_str", new Regex("vim$"))), M.Context());
        var vim = M.Counter("file.read", tags: Tags.Of(("process_id", "42"), ("process_str", "nvim")));
        var bash = M.Counter("file.read", tags: Tags.Of(("process_id", "43"), ("process_str", "bash")));
        var noTag = M.Counter("file.read", tags: Tags.Of(("process_id", "44")));   // absent key: condition fails

        var forwarded = M.Run(step, vim, bash, noTag);
        await step.DisposeAsync(); // waits for queued runs

        Assert.Equal([vim, bash, noTag], forwarded);
        Assert.Equal(["pid-42"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal(1, step.Counters.Exited);
    }

    [Fact]
    public async Task No_shell_is_involved()
    {
        var step = new ExecStep(Options(["/usr/bin/touch", $"{_dir}/{{name}}"]), M.Context());
        M.Run(step, M.Counter("x", tags: Tags.Of(("name", "a;touch b"))));
        await step.DisposeAsync();
        Assert.Equal(["a;touch b"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_missing_tag_skips_the_run()
    {
        var step = new ExecStep(Options(["/usr/bin/touch", $"{_dir}/{{process_id}}"]), M.Context());
        M.Run(step, M.Counter("x"));
        await step.DisposeAsync();
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.Equal(1, step.Counters.MissingTag);
    }

    [Fact]
    public async Task Spawn_failure_is_counted_not_thrown()
    {
        var step = new ExecStep(Options(["/nonexistent/program"]), M.Context());
        Assert.Single(M.Run(step, M.Counter("x")));
        await step.DisposeAsync();
        Assert.Equal(1, step.Counters.SpawnFailed);
    }

    [Fact]
    public async Task A_command_outliving_its_timeout_is_killed()
    {
        var step = new ExecStep(Options(["/bin/sleep", "30"]) with { Timeout = TimeSpan.FromMilliseconds(200) }, M.Context());
        M.Run(step, M.Counter("x"));
        await step.DisposeAsync();
        Assert.Equal(1, step.Counters.TimedOut);
        Assert.Equal(0, step.Counters.Exited);
    }

    [Fact]
    public async Task Runs_are_rate_limited()
    {
        var clock = new ManualClock(); // never advances: no refill
        var step = new ExecStep(Options(["/bin/true"]) with { MaxPerSecond = 3 }, M.Context(clock));
        for (var i = 0; i < 10; i++) M.Run(step, M.Counter("x"));
        await step.DisposeAsync();
        Assert.Equal(3, step.Counters.Started);
        Assert.Equal(7, step.Counters.RateLimited);
    }

    [Fact]
    public async Task Run_counters_are_part_of_the_component_counters_and_status()
    {
        var context = M.Context(new ManualClock());
        var step = new ExecStep(Options(["/nonexistent/program"]) with { MaxPerSecond = 1 }, context);
        M.Run(step, M.Counter("x"));
        M.Run(step, M.Counter("x"));
        await step.DisposeAsync();

        var details = context.Counters.Details!.Snapshot().ToDictionary();
        Assert.Equal(1, details["spawn-failed"]);
        Assert.Equal(1, details["rate-limited"]);
        Assert.Equal(0, details["timed-out"]);
        Assert.EndsWith("spawn-failed=1 rate-limited=1 missing-tag=0", context.Counters.ToString());
        var status = new ComponentStatus("p.steps[0]", context.Counters.Snapshot());
        Assert.EndsWith("failed=0 started=0 exited=0 timed-out=0 spawn-failed=1 rate-limited=1 missing-tag=0", status.ToString());
        Assert.Equal(1, status["spawn-failed"]);
    }

    [Fact]
    public async Task Process_returns_before_a_slow_command_finishes()
    {
        var step = new ExecStep(Options(["/bin/sleep", "30"]) with { Timeout = TimeSpan.FromMilliseconds(100) }, M.Context());
        var forwarded = M.Run(step, M.Counter("x"));
        Assert.Single(forwarded);
        Assert.Equal(0, step.Counters.TimedOut + step.Counters.Exited); // still running when Process returned
        await step.DisposeAsync();
    }
}
