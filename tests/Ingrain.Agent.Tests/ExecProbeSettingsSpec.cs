using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.Agent.Composition;
using Ingrain.Native;
using Ingrain.Probes.Exec;
using Ingrain.TestSupport.Kernel;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The exec probe's HOCON keys, as the agent's registry compiles them and as the attached probe obeys them.</summary>
[Collection(KernelCollection.Name)]
public class ExecProbeSettingsSpec
{
    private static CompileResult Compile(string probe) =>
        TopologyLoader.FromText($"ingrain {{ probes.e {{ type = exec, pipelines = [p], {probe} }}, pipelines.p.backend.type = console }}",
            AgentModules.CreateRegistry());

    private static ProbeSpec CompileProbe(string probe)
    {
        var result = Compile(probe);
        Assert.Empty(result.Errors);
        return result.Spec!.Probes["e"];
    }

    [Fact]
    public void Defaults_emit_exits_and_ignore_the_agents_own_pid()
    {
        Assert.Equal(new ExecProbeOptions(EmitExits: true, IgnoredProcessId: Environment.ProcessId, WakeupBytes: 256 * 1024,
            WakeupDelay: TimeSpan.FromMilliseconds(10), RingBytes: 4 * 1024 * 1024), CompileProbe("").Options);
    }

    [Fact]
    public void A_ring_size_the_kernel_would_refuse_is_a_config_error()
    {
        Assert.Equal(64 * 1024, Assert.IsType<ExecProbeOptions>(CompileProbe("ring-bytes = 64KiB").Options).RingBytes);
        Assert.Contains(Compile("ring-bytes = 100000").Errors, e => e.Message.Contains("ring-bytes: must be a power of two"));
        Assert.Contains(Compile("ring-bytes = 1KiB").Errors, e => e.Message.Contains("ring-bytes"));
    }

    [Fact]
    public void Keys_map_onto_the_options()
    {
        var options = Assert.IsType<ExecProbeOptions>(CompileProbe("emit-exits = false, ignore-self = false, wake-up-bytes = 0, wake-up-delay = 50ms").Options);
        Assert.False(options.EmitExits);
        Assert.Equal(0, options.IgnoredProcessId);
        Assert.Equal((0L, TimeSpan.FromMilliseconds(50)), (options.WakeupBytes, options.WakeupDelay));
    }

    [Fact]
    public void An_unknown_or_mistyped_key_is_rejected()
    {
        var errors = Compile("emit-exit = false, ignore-self = maybe, wake-up-delay = 0s").Errors;
        Assert.Contains(errors, e => e.ComponentPath == "ingrain.probes.e" && e.Message.Contains("unknown key \"emit-exit\"") && e.Message.Contains("emit-exits"));
        Assert.Contains(errors, e => e.Message.Contains("ignore-self: expected true or false"));
        Assert.Contains(errors, e => e.Message.Contains("wake-up-delay: must be at least"));
    }

    [KernelFact]
    public async Task Emit_exits_false_reports_execs_but_no_exits()
    {
        KernelRequirements.Require();
        BpfPreflight.Run();

        // Same probe type, both settings: with exits on the exit of /bin/true is seen (so the check below can fail).
        var withExits = await RunTrueUnderProbeAsync(CompileProbe("emit-exits = true"));
        Assert.Contains(withExits.Seen, m => m is ExitEvent e && e.Process.ProcessId == withExits.Pid);

        var withoutExits = await RunTrueUnderProbeAsync(CompileProbe("emit-exits = false"));
        Assert.Contains(withoutExits.Seen, m => m is ExecEvent e && e.Process.ProcessId == withoutExits.Pid);
        Assert.DoesNotContain(withoutExits.Seen, m => m is ExitEvent || m.Name == ExitEvent.MeasurementName);
    }

    [KernelFact]
    public async Task Wake_up_bytes_0_wakes_the_reader_on_every_record_and_still_delivers_everything()
    {
        KernelRequirements.Require();
        BpfPreflight.Run();
        // The default (batched: woken at 256 KiB or by the reader's 10 ms timer) is what the test above ran.
        var perRecord = await RunTrueUnderProbeAsync(CompileProbe("wake-up-bytes = 0"));
        Assert.Contains(perRecord.Seen, m => m is ExecEvent e && e.Process.ProcessId == perRecord.Pid);
        Assert.Contains(perRecord.Seen, m => m is ExitEvent e && e.Process.ProcessId == perRecord.Pid);
    }

    /// <summary>Starts the probe through its registered type, runs /bin/true, then a control process; returns what the
    /// probe emitted once the control's exec arrived (the ring is ordered, so the first process's exit, if reported,
    /// arrived before it).</summary>
    private static async Task<(int Pid, IReadOnlyList<Measurement> Seen)> RunTrueUnderProbeAsync(ProbeSpec spec)
    {
        var sink = new CollectingSink();
        using var cancel = new CancellationTokenSource();
        await using var runner = spec.Type.Create(spec.Options, new ProbeContext("e", NullLoggerFactory.Instance, TimeProvider.System, new ProbeCounters()));
        var run = runner.RunAsync(sink, cancel.Token);

        var pid = await RunAsync("/bin/true");
        var control = await RunAsync("/bin/true");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!sink.Seen.Any(m => m is ExecEvent e && e.Process.ProcessId == control))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"no exec of the control process within 10 s; saw {sink.Seen.Count}");
            await Task.Delay(20);
        }
        cancel.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        return (pid, sink.Seen.ToArray());
    }

    private static async Task<int> RunAsync(string file)
    {
        using var process = Process.Start(new ProcessStartInfo(file) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private sealed class CollectingSink : IProbeSink
    {
        public ConcurrentQueue<Measurement> Seen { get; } = new();

        public void Emit(Measurement measurement) => Seen.Enqueue(measurement);

        public void Emit(IReadOnlyList<Measurement> measurements)
        {
            foreach (var m in measurements) Seen.Enqueue(m);
        }
    }
}
