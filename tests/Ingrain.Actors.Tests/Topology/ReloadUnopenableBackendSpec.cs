using Ingrain.Actors.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A reload into a backend that cannot open, while measurements flow: it is rolled back with the old topology intact,
/// and every measurement sent before, during and after the attempt arrives at the old backend — count in = count out
/// (before: "applied", then 3,094 of 4,000 lost while the new backend restarted forever).
/// </summary>
public sealed class ReloadUnopenableBackendSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private const string Before = """
        ingrain {
          probes.in { type = scripted, pipelines = [p] }
          pipelines.p.backend { type = collect, name = old }
        }
        """;

    private const string Broken = """
        ingrain {
          probes.in { type = scripted, pipelines = [p] }
          pipelines.p.backend { type = flaky-collect, name = new }
        }
        """;

    [Fact]
    public async Task The_reload_is_rolled_back_and_nothing_sent_meanwhile_is_lost()
    {
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText(Before, _components.Registry()).Spec!, Logs);
        _components.BackendOpenFailuresLeft = int.MaxValue;
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 20; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter($"m{sent++}")));
                await Task.Delay(1);
            }
        });
        await AwaitConditionAsync(() => _components.Of("old").Count >= 500, TimeSpan.FromSeconds(10));

        var outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() => TopologyLoader.FromText(Broken, _components.Registry()));
        Assert.False(outcome.Applied);
        Assert.Contains("cannot open (test)", Assert.Single(outcome.Errors).Message);
        var atRollback = _components.Of("old").Count;
        await AwaitConditionAsync(() => _components.Of("old").Count >= atRollback + 500, TimeSpan.FromSeconds(10)); // still delivering
        stop.Cancel();
        await load;
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(sent, _components.Of("old").Count);
        Assert.Equal(Enumerable.Range(0, sent).Select(i => $"m{i}"), _components.Of("old").Select(m => m.Name));
        Assert.Empty(_components.Of("new"));
        Assert.True(_components.BackendOpens >= 1);
    }
}
