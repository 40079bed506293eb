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
        var system = ActorSystem.Create("shutdown-probe-stop", new ActorSystemSettings
        {
            ShutdownPhases =
            [
                new(CoordinatedShutdown.PhaseStopProbes, TimeSpan.FromMilliseconds(300)),
                new(CoordinatedShutdown.PhaseDrainPipelines, TimeSpan.FromSeconds(10)),
                new(CoordinatedShutdown.PhaseFlushBackends, TimeSpan.FromSeconds(10)),
                new(CoordinatedShutdown.PhaseActorSystemTerminate, TimeSpan.FromSeconds(10)),
            ],
        });
        var topology = RunningTopology.Start(system, result.Spec!);
        topology.RegisterShutdown(system.CoordinatedShutdown);

        await system.CoordinatedShutdown.RunAsync("test");

        Assert.Equal(10, _components.Of("p").Count);
    }
}
