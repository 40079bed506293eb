using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// Changing the exec probe's settings on reload (emit-exits true → false) during an exec storm: the new instance
/// attaches before the old one detaches, so every exec of the storm is reported (before: 112 consecutive execs lost).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ExecReloadWindowSpec
{
    private const int Execs = 1500;

    [KernelFact]
    public async Task Changing_emit_exits_during_an_exec_storm_loses_no_exec()
    {
        KernelRequirements.Require();
        using var agent = new AgentTopology("exec-reload", seen => new CollectingWriter(seen));
        static string Config(bool exits) =>
            $"ingrain {{ probes.exec {{ type = exec, emit-exits = {(exits ? "true" : "false")}, pipelines = [p] }}, pipelines.p.backend.type = collect }}";
        var topology = agent.Start(Config(true));
        await AgentTopology.Until(() => topology.ProbeCounters("exec").Attached, "the exec probe attached");

        var marker = $"reload-window-{Guid.NewGuid():N}";
        using var storm = Process.Start("/bin/sh", ["-c", $"for i in $(seq 1 {Execs}); do /bin/true {marker} $i; done"])!;
        await AgentTopology.Until(() => Markers(agent.Seen, marker).Count >= 200 || storm.HasExited, "the storm under way");
        var diff = await topology.ApplyAsync(agent.Compile(Config(false)), TimeSpan.FromSeconds(10));
        Assert.Equal(["exec"], diff.Probes.ToChange);
        Assert.True(Markers(agent.Seen, marker).Count < Execs, "the storm ended before the reload: the test proves nothing");
        await storm.WaitForExitAsync();
        await AgentTopology.Until(() => Markers(agent.Seen, marker).Count == Execs, $"all {Execs} execs reported", TimeSpan.FromSeconds(15), () =>
            $"missing: {string.Join(", ", Enumerable.Range(1, Execs).Except(Markers(agent.Seen, marker)).Take(30))}");
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(30)));
    }

    private static HashSet<int> Markers(IEnumerable<Measurement> seen, string marker) =>
        [.. seen.Where(m => m.Name == "process.exec")
            .Select(m => m.Tags.Get("args_str") ?? "")
            .Where(a => a.StartsWith($"/bin/true {marker} ", StringComparison.Ordinal))
            .Select(a => int.Parse(a[(a.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))];

    private sealed class CollectingWriter(ConcurrentQueue<Measurement> into) : IBackendWriter
    {
        public BackendCounters Counters { get; } = new();

        public ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
        {
            foreach (var m in batch) into.Enqueue(m);
            Counters.AddSent(batch.Count);
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
