using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A flush that throws while a drain passes restarts its actor, but the drain must still go on: otherwise shutdown
/// waits for it until its deadline (and reports it was not finished).
/// </summary>
public sealed class DrainFailureSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private TopologySpec Compile(string text)
    {
        var result = TopologyLoader.FromText(text, _components.Registry());
        Assert.Empty(result.Errors);
        return result.Spec!;
    }

    private Task Arrived(string backend, int count) =>
        AwaitConditionAsync(() => _components.Of(backend).Count >= count, TimeSpan.FromSeconds(10), message: $"{count} measurement(s) at {backend}");

    [Fact]
    public async Task A_step_whose_flush_throws_still_passes_the_drain_on()
    {
        var topology = RunningTopology.Start(Sys, Compile("""
            ingrain {
              probes { in { type = scripted, pipelines = [p] } }
              pipelines {
                p {
                  steps = [ { type = flush-failing }, { type = buffer, interval = 1h } ]
                  backend { type = collect, name = p }
                }
              }
            }
            """), Logs);
        for (var i = 0; i < 3; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter("file.read")));
        await AwaitConditionAsync(() => topology.Counters()["ingrain.pipelines.p.steps[1]"].Received == 3, TimeSpan.FromSeconds(10));

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(5)));

        // The buffer behind the failing step was still drained: its aggregate was written.
        Assert.Equal(3, Assert.Single(_components.Of("p")).Value.Number);
    }

    [Fact]
    public async Task A_backend_whose_flush_throws_still_completes_the_drain()
    {
        var topology = RunningTopology.Start(Sys, Compile("""
            ingrain {
              probes { in { type = scripted, pipelines = [p] } }
              pipelines {
                p {
                  steps = [ { type = whitelist, allow = [k] } ]
                  backend { type = flush-failing-collect, name = p }
                }
              }
            }
            """), Logs);
        Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter("m", ("k", "v"))));
        await Arrived("p", 1);

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(5)));
    }
}
