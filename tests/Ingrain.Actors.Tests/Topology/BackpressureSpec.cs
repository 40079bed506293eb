using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

public sealed class BackpressureSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private RunningTopology Start(string overflow) => RunningTopology.Start(Sys, TopologyLoader.FromText($$"""
        ingrain.pipelines.p {
          steps = [ { type = whitelist, allow = [] } ]
          backend { type = collect, name = out, delay = 20ms, mailbox { capacity = 2, overflow = {{overflow}} } }
        }
        """, _components.Registry()).Spec!, Logs);

    private static MeasurementBatch Batch(int i) => new([TestComponents.Counter($"m{i}")]);

    [Fact]
    public async Task A_full_backend_with_drop_incoming_drops_and_counts_instead_of_blocking_the_step()
    {
        var topology = Start("drop-incoming");
        var head = topology.PipelineActors("p")[0];
        for (var i = 0; i < 20; i++) head.Tell(Batch(i), null);
        await AwaitConditionAsync(() => topology.Status().Single(s => s.Path == "ingrain.pipelines.p.steps[0]")["received"] == 20);
        var status = topology.Status();
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));

        var backend = status.Single(s => s.Path == "ingrain.pipelines.p.backend");
        var delivered = _components.Of("out").Count;
        Assert.InRange(backend["dropped-batches"], 10, 18);
        Assert.Equal(20, delivered + backend["dropped-batches"]);
        Assert.Equal("m0", _components.Of("out")[0].Name); // the oldest were kept, the newest dropped
    }

    [Fact]
    public async Task A_full_backend_with_backpressure_slows_the_step_and_loses_nothing()
    {
        var topology = Start("backpressure");
        var head = topology.PipelineActors("p")[0];
        for (var i = 0; i < 20; i++) head.Tell(Batch(i), null);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), _components.Of("out").Select(m => m.Name));
    }
}
