using Ingrain.Agent.Composition;
using Ingrain.Probes.Syscalls;
using Ingrain.TestSupport.Kernel;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The syscalls probe's HOCON keys, as the agent's registry compiles them (defaults from reference.hocon).</summary>
[Collection(KernelCollection.Name)]
public class SyscallsProbeSettingsSpec
{
    private static readonly SyscallNames Names = SyscallNames.Current!;

    private static CompileResult Compile(string probe) =>
        TopologyLoader.FromText($"ingrain {{ probes.s {{ type = syscalls, pipelines = [p], {probe} }}, pipelines.p.backend.type = console }}",
            AgentModules.CreateRegistry());

    private static SyscallsProbeOptions Options(string probe)
    {
        var result = Compile(probe);
        Assert.Empty(result.Errors);
        return Assert.IsType<SyscallsProbeOptions>(result.Spec!.Probes["s"].Options);
    }

    private static int Nr(string name) => Names.TryGetNumber(name, out var nr) ? nr : throw new KeyNotFoundException(name);

    [Fact]
    public void Defaults_count_every_syscall_every_10s_and_ignore_the_agent()
    {
        var options = Options("");
        Assert.True(options.MonitorsAll);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Interval);
        Assert.Empty(options.IgnoredProcesses);
        Assert.Equal(Environment.ProcessId, options.IgnoredProcessId);
        Assert.Equal(32768, options.MaxPairs);
    }

    [Fact]
    public void Names_become_this_architectures_numbers_and_equal_settings_compare_equal()
    {
        const string keys = "monitor-syscalls = [execve, openat, getppid], interval = 2s, ignore-processes = [sshd], ignore-self = false, max-pairs = 100";
        var options = Options(keys);
        Assert.True(options.Syscalls.SetEquals([Nr("execve"), Nr("openat"), Nr("getppid")]));
        Assert.Equal(TimeSpan.FromSeconds(2), options.Interval);
        Assert.True(options.IgnoredProcesses.SetEquals(["sshd"]));
        Assert.Equal(0, options.IgnoredProcessId);
        Assert.Equal(100, options.MaxPairs);
        // A reload compares options by value: the same text must not restart the probe.
        Assert.Equal(options, Options(keys));
        Assert.NotEqual(options, Options(keys.Replace("openat, ", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_unknown_syscall_is_an_error_naming_the_file_position_and_the_closest_name()
    {
        var errors = Compile("monitor-syscalls = [getppid, getpid, getppd, openatt, no_such_thing_at_all]").Errors;
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Message == $"monitor-syscalls: unknown syscall \"getppd\" on {Names.Architecture}; did you mean \"getppid\"?");
        Assert.Contains(errors, e => e.Message.Contains("unknown syscall \"openatt\"") && e.Message.Contains("did you mean \"openat\"?"));
        Assert.Contains(errors, e => e.Message.Contains("unknown syscall \"no_such_thing_at_all\"") && !e.Message.Contains("did you mean"));
        Assert.All(errors, e => Assert.Contains("probes.s", e.ComponentPath));
        Assert.All(errors, e => Assert.Matches(@":\d+:\d+$|:\d+$", e.Origin));
    }

    [Fact]
    public void Bad_values_and_unknown_keys_are_errors()
    {
        var errors = Compile("interval = 10ms, max-pairs = 0, ignore-self = maybe, monitor-syscall = [read]").Errors;
        Assert.Contains(errors, e => e.Message.Contains("interval: must be at least"));
        Assert.Contains(errors, e => e.Message.Contains("max-pairs"));
        Assert.Contains(errors, e => e.Message.Contains("ignore-self: expected true or false"));
        Assert.Contains(errors, e => e.Message.Contains("unknown key \"monitor-syscall\""));
    }

    [KernelFact]
    public async Task The_probe_reports_into_the_contexts_counters_and_a_restarted_probe_into_the_same_ones()
    {
        KernelReady.Ensure();
        var spec = Compile("monitor-syscalls = [getppid]").Spec!.Probes["s"];
        var context = new ProbeContext("s", NullLoggerFactory.Instance, TimeProvider.System, new ProbeCounters());

        var first = Assert.IsType<SyscallsProbe>(spec.Type.Create(spec.Options, context));
        await first.DisposeAsync();
        var own = Assert.IsType<SyscallsProbeCounters>(context.Counters.Details);
        Assert.Same(own, first.SyscallCounters);

        var second = Assert.IsType<SyscallsProbe>(spec.Type.Create(spec.Options, context));
        await second.DisposeAsync();
        Assert.Same(own, second.SyscallCounters);
        var names = context.Counters.Snapshot().Select(c => c.Key).ToArray();
        Assert.Contains("kernel-lost", names);
        Assert.Contains("calls-lost", names);
    }
}
