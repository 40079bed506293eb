using Ingrain.Actors.Topology;
using Xunit;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A probe that still emits after it was asked to stop, for longer than the stop-probes phase lasts: the drain must
/// wait for the probe actor to have terminated, or what it emits meanwhile arrives after the pipelines stopped.
/// </summary>
public sealed class ShutdownProbeStopSpec
{
    private readonly TestComponents _components = new();

    [Fact]
    public async Task The_drain_waits_for_a_probe_that_outlives_the_stop_probes_phase()
    {
        var result = TopologyLoader.FromText("""
            ingrain {
              probes { late { type = lingering, linger = 1s, pipelines = [p] } }
              pipelines { p { steps = [ { type = whitelist, allow = [k] } ], backend { type = collect, name = p } } }
            }
            """, _components.Registry());
        Assert.Empty(result.Errors);
        // The stop-probes phase (service-unbind) times out long before the probe's last measurements arrive.
        using var system = Akka.Actor.ActorSystem.Create("shutdown-probe-stop", Akka.Configuration.ConfigurationFactory.ParseString("""
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.coordinated-shutdown.phases.service-unbind.timeout = 300ms
            akka.coordinated-shutdown.phases.service-requests-done.timeout = 10s
            akka.coordinated-shutdown.phases.service-stop.timeout = 10s
            """));
        RunningTopology.Start(system, result.Spec!);
        // A probe stopped before it ever ran has nothing to hand over: stop it once it runs.
        var started = DateTime.UtcNow;
        while (Volatile.Read(ref _components.LingeringRuns) == 0)
        {
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the lingering probe never started");
            await Task.Delay(10);
        }

        await Akka.Actor.CoordinatedShutdown.Get(system).Run(Akka.Actor.CoordinatedShutdown.ClrExitReason.Instance);

        Assert.Equal(10, _components.Of("p").Count);
    }
}
