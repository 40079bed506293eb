using Ingrain.Actors.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A stop signal during a reload: the reload is abandoned at once (the shutdown keeps its deadline), and the pipeline
/// it was draining is drained by the shutdown instead, so nothing is lost.
/// </summary>
public sealed class ReloadCancelSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private static string Config(string backend) => $$"""
        ingrain {
          probes { in { type = scripted, pipelines = [p] } }
          pipelines {
            p {
              steps = [ { type = pause, per-measurement = 50ms } ]
              backend { type = collect, name = {{backend}} }
            }
          }
        }
        """;

    [Fact]
    public async Task A_reload_cancelled_while_draining_returns_at_once_and_shutdown_drains_the_rest()
    {
        var result = TopologyLoader.FromText(Config("a"), _components.Registry());
        Assert.Empty(result.Errors);
        var topology = RunningTopology.Start(Sys, result.Spec!, Logs);
        const int total = 60; // 3 s of work for the pausing step
        // Compiled beforehand: on a loaded machine compiling can take longer than the whole drain.
        var next = TopologyLoader.FromText(Config("b"), _components.Registry());
        for (var i = 0; i < total; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter("slow")));
        await AwaitConditionAsync(() => topology.ProbeCounters("in").Emitted == total, TimeSpan.FromSeconds(10));

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() => next, stop.Token));
        // Abandoned before the retired pipeline finished its drain.
        Assert.True(_components.Of("a").Count < total);
        // The probe already feeds the new instance, whose writer opens only once the retired one has closed.
        Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter("fast")));

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(total + 1, _components.Of("a").Count + _components.Of("b").Count);
    }
}
