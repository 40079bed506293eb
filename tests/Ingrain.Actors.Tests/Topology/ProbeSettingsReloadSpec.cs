using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A reload that changes a probe's settings replaces it make-before-break: the new instance attaches before the old
/// one detaches, so an event that happens during the reload is reported by at least one of them — no blind window.
/// </summary>
public sealed class ProbeSettingsReloadSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private static string Config(string label) => $$"""
        ingrain {
          probes.t { type = tap, label = {{label}}, pipelines = [p] }
          pipelines.p.backend { type = collect, name = out }
        }
        """;

    [Fact]
    public async Task Changing_a_probes_settings_under_a_steady_stream_of_events_misses_none()
    {
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText(Config("a"), _components.Registry()).Spec!, Logs);
        await AwaitConditionAsync(() => topology.ProbeCounters("t").Attached);
        var next = TopologyLoader.FromText(Config("b"), _components.Registry()).Spec!;

        // Events keep happening, one every millisecond or so, before, during and after the reload.
        var published = 0;
        using var stop = new CancellationTokenSource();
        var events = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _components.Taps.Publish(published++);
                await Task.Delay(1);
            }
        });
        await AwaitConditionAsync(() => _components.Of("out").Count >= 50, TimeSpan.FromSeconds(10));
        var diff = await topology.ApplyAsync(next, TimeSpan.FromSeconds(10));
        Assert.Equal(["t"], diff.Probes.ToChange);
        var afterReload = _components.Of("out").Count;
        await AwaitConditionAsync(() => _components.Of("out").Count >= afterReload + 50, TimeSpan.FromSeconds(10));
        stop.Cancel();
        await events;
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));

        var seen = _components.Of("out");
        Assert.Contains(seen, m => m.Tags.Get("label") == "a");
        Assert.Contains(seen, m => m.Tags.Get("label") == "b");
        var missing = Enumerable.Range(0, published).Where(n => !seen.Any(m => m.Name == $"e{n}")).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} of {published} events were seen by neither instance: {string.Join(", ", missing.Take(20))}");
    }
}
