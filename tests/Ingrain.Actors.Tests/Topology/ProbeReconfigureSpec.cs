using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A probe that can take new settings in place (like files' monitor-dirs) keeps running through a reload that changes
/// them: it is not replaced, and when it later fails and restarts, it is created from the settings it took.
/// </summary>
public sealed class ProbeReconfigureSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private static string Config(string label) => $$"""
        ingrain {
          probes.t { type = tunable, label = {{label}}, pipelines = [p], restart { min-backoff = 10ms, max-backoff = 10ms } }
          pipelines.p.backend { type = collect, name = out }
        }
        """;

    private void Send(string name) => Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter(name)));

    [Fact]
    public async Task New_settings_are_taken_in_place_and_a_later_restart_keeps_them()
    {
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText(Config("a"), _components.Registry()).Spec!, Logs);
        Send("before");
        await AwaitConditionAsync(() => _components.Of("out").Count == 1);

        var diff = await topology.ApplyAsync(TopologyLoader.FromText(Config("b"), _components.Registry()).Spec!, TimeSpan.FromSeconds(10));
        Assert.Equal(["t"], diff.Probes.ToChange);
        Send("after");
        await AwaitConditionAsync(() => _components.Of("out").Count == 2);
        Assert.Equal(["a"], _components.TunableCreated); // not replaced: still the first instance
        Assert.True(topology.ProbeCounters("t").Attached);

        Send("fail");
        await AwaitConditionAsync(() => _components.TunableCreated.Count == 2, TimeSpan.FromSeconds(10));
        Send("restarted");
        await AwaitConditionAsync(() => _components.Of("out").Count == 3, TimeSpan.FromSeconds(10));
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(["a", "b"], _components.TunableCreated); // the restart used the settings taken in place
        Assert.Equal([("before", "a"), ("after", "b"), ("restarted", "b")],
            _components.Of("out").Select(m => (m.Name, m.Tags.Get("label"))));
    }
}
