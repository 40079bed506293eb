using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.TestSupport;
using Ingrain.TestSupport.Kernel;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// An exec storm into a deliberately stalled sink (it takes nothing until the storm is over): the stall reaches the ring buffer, and what the kernel could not
/// queue is in the probe's kernel-lost counter, in the status and in a warning naming the probe and the count —
/// every exec of the storm either arrived or is counted lost (before: 16,430 of 23,026 execs vanished, status said 0).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelLossReportSpec
{
    // More than the pipeline holds while its writer is stalled (the probe actor's channel, its batch in flight, the
    // edge window) plus the 16 KiB ring (~160 /bin/true records).
    private const int Execs = 3000;

    [KernelFact]
    public async Task Execs_the_slow_pipeline_could_not_take_are_counted_shown_and_warned_about()
    {
        KernelRequirements.Require();
        var log = new CapturingLogger();
        using var logs = LoggerFactory.Create(b => b.AddProvider(log));
        var release = new TaskCompletionSource();
        using var agent = new AgentTopology("kernel-loss", seen => new StalledWriter(seen, release.Task));
        var topology = agent.Start("""
            ingrain {
              probes.exec { type = exec, emit-exits = false, ring-bytes = 16KiB, wake-up-bytes = 0, pipelines = [p] }
              pipelines.p.backend { type = collect, mailbox.capacity = 1 }
            }
            """, logs);
        await AgentTopology.Until(() => topology.ProbeCounters("exec").Attached, "the exec probe attached");

        var marker = $"kernel-loss-{Guid.NewGuid():N}";
        using (var storm = Process.Start("/bin/sh", ["-c", $"for i in $(seq 1 {Execs}); do /bin/true {marker} $i; done"])!)
            await storm.WaitForExitAsync();
        // The kernel-lost counter is published every second; the warning follows within another.
        await AgentTopology.Until(() => log.Lines.Any(l => l.Contains("events lost in the kernel")),
            $"the kernel-loss warning (kernel-lost={topology.ProbeCounters("exec").KernelLost})", TimeSpan.FromSeconds(15));
        release.SetResult();
        var counters = topology.ProbeCounters("exec"); // live: the final figures after the shutdown
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(60)));

        var lost = counters.KernelLost;
        var arrived = agent.Seen.Count(m => m.Name == "process.exec" && (m.Tags.Get("args_str") ?? "").StartsWith($"/bin/true {marker} ", StringComparison.Ordinal));
        Assert.True(lost > 0, $"nothing lost in the kernel ({arrived} of {Execs} arrived): the sink was not slow enough to prove anything");
        Assert.True(arrived < Execs);
        // Other processes' execs may be lost too, so the count may exceed what this storm missed, never fall short.
        Assert.True(arrived + lost >= Execs, $"{arrived} arrived + {lost} counted lost < {Execs} execs: some vanished uncounted");
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: exec: ", StringComparison.Ordinal) && l.Contains("events lost in the kernel in the last"));
        Assert.Contains(log.Lines, l => l.Contains($"status: ingrain.probes.exec: stopped emitted=") && l.Contains($"kernel-lost={lost}"));
    }

    private sealed class StalledWriter(ConcurrentQueue<Measurement> into, Task released) : IBackendWriter
    {
        public BackendCounters Counters { get; } = new();

        public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
        {
            await released.WaitAsync(cancellationToken);
            foreach (var m in batch) into.Enqueue(m);
            Counters.AddSent(batch.Count);
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
