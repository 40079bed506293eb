using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A backend whose writer fails is closed and opened again; the new writer's counters go on from the old one's, so
/// the status never forgets what was sent (or dropped) before the failure.
/// </summary>
public sealed class WriterCountersReopenSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    [Fact]
    public async Task A_reopened_writer_goes_on_from_the_counts_of_the_one_it_replaced()
    {
        var compiled = TopologyLoader.FromText("""
            ingrain {
              probes { in { type = scripted, pipelines = [p] } }
              pipelines {
                p {
                  steps = []
                  backend { type = flush-failing-collect, name = p, flush-interval = 200ms }
                }
              }
            }
            """, _components.Registry());
        Assert.Empty(compiled.Errors);
        var topology = RunningTopology.Start(Sys, compiled.Spec!, Logs);
        for (var i = 0; i < 5; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter("m")));
        await AwaitConditionAsync(() => _components.Of("p").Count == 5, TimeSpan.FromSeconds(10), message: "5 measurements at p");
        BackendCounters Writer() => Assert.IsType<BackendCounters>(topology.Counters()["ingrain.pipelines.p.backend"].Details);
        await AwaitConditionAsync(() => Writer().Sent == 5, TimeSpan.FromSeconds(10), message: "the first writer counted 5 sent");
        var first = Writer();

        // Its flush fails: the writer is closed and a new one opened.
        await AwaitConditionAsync(() => !ReferenceEquals(Writer(), first), TimeSpan.FromSeconds(10), message: "the writer was reopened");

        Assert.Equal(5, Writer().Sent);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(5)));
    }
}
