using Ingrain.Actors.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A probe feeding [q, p] blocks on q's full head (slow backend, window 1) while a reload replaces only p: what it
/// sends after the rewire must not reach the retired p after its Drain, and nothing it read is lost.
/// </summary>
public sealed class ReloadRewireSpec(ITestOutputHelper log) : AkkaSpec(null)
{
    private readonly TestComponents _components = new();

    private static string Config(string backend) => $$"""
        ingrain {
          probes { in { type = scripted, pipelines = [q, p] } }
          pipelines {
            q {
              steps = [ { type = whitelist, allow = [k], mailbox { capacity = 1 } } ]
              backend { type = collect, name = q, delay = 200ms, mailbox { capacity = 1 } }
            }
            p {
              steps = [ { type = regex, patterns = [{ key = k, regex = "x", replace-with = y }], mailbox { capacity = 1 } } ]
              backend { type = collect, name = {{backend}}, delay = 0ms, mailbox { capacity = 1 } }
            }
          }
        }
        """;

    [Fact]
    public async Task Reload_under_backpressure_loses_nothing()
    {
        var result = TopologyLoader.FromText(Config("a"), _components.Registry());
        Assert.Empty(result.Errors);
        var topology = RunningTopology.Start(Sys, result.Spec!, Logs);
        const int total = 5_000;
        for (var i = 0; i < total; i++)
            Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter("m", ("k", "x"), ("i", i.ToString()))));
        // The gate: the probe is blocked on q's full head (its window to q is taken, q's slow backend has started) and
        // has read far less than was fed — only then is the reload a race with a blocked sender.
        await AwaitConditionAsync(() => _components.Of("q").Count > 0, TimeSpan.FromSeconds(10));
        var blocked = topology.Status().Single(c => c.Path == "ingrain.pipelines.q.steps[0]");
        Assert.True(blocked["queued-batches"] >= 1, blocked.ToString());
        Assert.True(topology.ProbeCounters("in").Emitted < total, "the probe was not blocked: it had read everything");
        var outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() => TopologyLoader.FromText(Config("b"), _components.Registry()));
        Assert.True(outcome.Applied);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(60)));
        var a = _components.Of("a").Count;
        var b = _components.Of("b").Count;
        log.WriteLine($"a={a} b={b} sum={a + b}");
        Assert.Equal(total, a + b);
    }
}
