using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>Every counter reaches the status: a probe's losses, the edges' queues and drops, the writer's deliveries.</summary>
public sealed class StatusSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    [Fact]
    public async Task Status_shows_probe_losses_edges_and_writer_counters_in_one_shape()
    {
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText("""
            ingrain {
              probes.in { type = lossy, pipelines = [p] }
              pipelines.p { steps = [ { type = whitelist, allow = [] } ], backend { type = collect, name = out } }
            }
            """, _components.Registry()).Spec!, Logs);
        for (var i = 0; i < 5; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter($"m{i}")));
        await AwaitConditionAsync(() => _components.Of("out").Count == 5);
        await AwaitConditionAsync(() => topology.Status().Single(s => s.Path == "ingrain.pipelines.p.backend")["writer.sent"] == 5);
        var status = topology.Status().ToDictionary(s => s.Path);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));

        var probe = status["ingrain.probes.in"];
        Assert.Equal(["emitted", "malformed", "kernel-lost", "handler-failures", "restarts"], probe.Counters.Select(c => c.Key));
        Assert.Equal((5L, 2L, 7L), (probe["emitted"], probe["malformed"], probe["kernel-lost"]));
        Assert.Contains("kernel-lost=7", probe.ToString());

        var step = status["ingrain.pipelines.p.steps[0]"];
        Assert.Equal(["received", "emitted", "dropped", "failed", "queued-batches", "dropped-batches"], step.Counters.Select(c => c.Key));

        var backend = status["ingrain.pipelines.p.backend"];
        Assert.Equal(["received", "emitted", "dropped", "failed", "queued-batches", "dropped-batches", "writer.sent", "writer.retried", "writer.dropped", "writer.spooled", "writer.failed"],
            backend.Counters.Select(c => c.Key));
        Assert.Equal(5, backend["writer.sent"]);
    }
}
