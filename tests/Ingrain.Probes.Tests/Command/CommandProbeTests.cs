using System.Collections.Concurrent;
using Ingrain.Probes.Command;
using Xunit;

namespace Ingrain.Probes.Tests.Command;

public sealed class CommandProbeTests
{
    private static CommandProbe Probe(string name, params string[] argv) =>
        new(ProbeSettings.Command with { ProbeName = "host", Name = name, Command = argv, Timeout = TimeSpan.FromSeconds(5) });

    [Fact]
    public async Task Ip_link_rows_become_measurements_with_the_value_column_and_other_columns_as_tags()
    {
        var probe = new CommandProbe(ProbeSettings.Command with
        {
            ProbeName = "links", Name = "mtu", Command = ["ip", "-j", "link"], ValueColumn = "mtu",
        });

        var result = await probe.RunOnceAsync(CancellationToken.None);

        Assert.Equal(CommandRunStatus.Succeeded, result.Status);
        var lo = Assert.Single(result.Measurements, m => m.Tags.Get("ifname") == "lo");
        Assert.Equal("links.mtu", lo.Name);
        Assert.Equal(MeasurementKind.Gauge, lo.Kind);
        Assert.Equal(65536, lo.Value.Number);
        Assert.Equal("1", lo.Tags.Get("ifindex"));
        Assert.Contains("LOOPBACK", lo.Tags.Get("flags")); // an array column as compact JSON
        Assert.Null(lo.Tags.Get("mtu"));
        Assert.Equal(result.Measurements.Count, probe.Counters.Rows);
        Assert.Equal(1, probe.Counters.Succeeded);
    }

    [Fact]
    public async Task Findmnt_rows_inside_an_object_are_read_through_rows_field_and_count_one_each()
    {
        var probe = new CommandProbe(ProbeSettings.Command with
        {
            ProbeName = "mounts", Name = "mounted", Command = ["findmnt", "--json", "--list"], RowsField = "filesystems",
            Kind = MeasurementKind.Counter,
        });

        var result = await probe.RunOnceAsync(CancellationToken.None);

        Assert.Equal(CommandRunStatus.Succeeded, result.Status);
        var root = Assert.Single(result.Measurements, m => m.Tags.Get("target") == "/");
        Assert.Equal(1, root.Value.Number);
        Assert.Equal("mounts.mounted", root.Name);
        Assert.NotNull(root.Tags.Get("fstype"));
    }

    [Fact]
    public async Task String_and_boolean_values_are_numbers_and_rows_without_a_value_are_skipped()
    {
        var probe = new CommandProbe(ProbeSettings.Command with
        {
            Name = "q", Command = ["echo", """[{"n":"42","k":"v","z":null},{"n":true},{"k":"no value"},{"n":"abc"},7]"""], ValueColumn = "n",
        });

        var result = await probe.RunOnceAsync(CancellationToken.None);

        Assert.Equal([42.0, 1.0], result.Measurements.Select(m => m.Value.Number));
        Assert.Equal(Tags.Of(("k", "v")), result.Measurements[0].Tags);
        Assert.Equal("command.q", result.Measurements[0].Name);
        Assert.Equal(3, result.SkippedRows);
        Assert.Equal(3, probe.Counters.SkippedRows);
    }

    [Fact]
    public async Task A_non_zero_exit_is_counted()
    {
        var probe = Probe("f", "false");
        var result = await probe.RunOnceAsync(CancellationToken.None);
        Assert.Equal(CommandRunStatus.NonZeroExit, result.Status);
        Assert.Empty(result.Measurements);
        Assert.Equal(1, probe.Counters.NonZeroExit);
    }

    [Fact]
    public async Task A_command_running_past_its_timeout_is_killed_and_counted()
    {
        var probe = new CommandProbe(ProbeSettings.Command with { Name = "s", Command = ["sleep", "10"], Timeout = TimeSpan.FromMilliseconds(300) });
        var started = DateTime.UtcNow;
        var result = await probe.RunOnceAsync(CancellationToken.None);
        Assert.Equal(CommandRunStatus.TimedOut, result.Status);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(9), "the sleep was not killed");
        Assert.Equal(1, probe.Counters.TimedOut);
    }

    [Fact]
    public async Task A_background_child_holding_stdout_open_ends_the_run_at_the_timeout_and_the_next_run_happens()
    {
        // sh exits at once, but the backgrounded sleep inherited stdout and keeps the pipe open for 20 s; it left the
        // command's process group (setsid), so killing the group after the run does not reach it.
        var probe = new CommandProbe(ProbeSettings.Command with
        {
            Name = "bg", Command = ["sh", "-c", "setsid sleep 20 & sleep 0.5; echo []"], Timeout = TimeSpan.FromSeconds(2),
        });

        for (var run = 1; run <= 2; run++)
        {
            var result = await probe.RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(8));
            Assert.Equal(CommandRunStatus.TimedOut, result.Status);
            Assert.Contains("background", result.Detail);
        }
        Assert.Equal(2, probe.Counters.TimedOut);
    }

    [Theory]
    [InlineData("notjson")]
    [InlineData("{\"a\":1}")]
    [InlineData("[1,2] trailing")]
    public async Task Output_that_is_not_rows_is_counted_as_bad_output(string output)
    {
        var probe = Probe("e", "echo", output);
        var result = await probe.RunOnceAsync(CancellationToken.None);
        Assert.Equal(CommandRunStatus.BadOutput, result.Status);
        Assert.Equal(1, probe.Counters.BadOutput);
    }

    [Fact]
    public async Task A_missing_program_is_counted_as_spawn_failure()
    {
        var probe = Probe("m", "/nonexistent/ingrain-no-such-program");
        var result = await probe.RunOnceAsync(CancellationToken.None);
        Assert.Equal(CommandRunStatus.SpawnFailed, result.Status);
        Assert.Equal(1, probe.Counters.SpawnFailed);
    }

    [Fact]
    public async Task The_interval_loop_keeps_running_through_failures_and_emits_rows()
    {
        var failing = new CommandProbe(ProbeSettings.Command with
        {
            Name = "f", Command = ["false"], Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMilliseconds(100),
        });
        var working = new CommandProbe(ProbeSettings.Command with
        {
            Name = "w", Command = ["echo", """[{"v":1}]"""], ValueColumn = "v", Interval = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromMilliseconds(100),
        });
        var emitted = new ConcurrentQueue<Measurement>();
        using var stop = new CancellationTokenSource();
        var runs = Task.WhenAll(
            failing.RunAsync(_ => throw new InvalidOperationException("never called: no rows"), stop.Token),
            working.RunAsync(batch => { foreach (var m in batch) emitted.Enqueue(m); }, stop.Token));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((failing.Counters.Runs < 3 || emitted.Count < 3) && DateTime.UtcNow < deadline) await Task.Delay(20);
        await stop.CancelAsync();
        await runs;

        Assert.True(failing.Counters.NonZeroExit >= 3, failing.Counters.ToString());
        Assert.True(emitted.Count >= 3, $"{emitted.Count} measurements");
    }

    [Fact]
    public void Options_compare_by_value_including_the_argv()
    {
        var a = ProbeSettings.Command with { Name = "n", Command = ["ip", "-j", "link"] };
        Assert.Equal(a, a with { Command = new List<string> { "ip", "-j", "link" } });
        Assert.NotEqual(a, a with { Command = ["ip", "-j", "addr"] });
    }

    [Fact]
    public void Options_validation_reports_every_problem()
    {
        var errors = (ProbeSettings.Command with { Name = "", Command = [], Timeout = TimeSpan.FromSeconds(20) }).Validate();
        Assert.Equal(3, errors.Count);
    }
}
