using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// A probe that fails 1,000 times in a row is restarted by its backoff supervisor every time: the topology stays up,
/// another probe keeps delivering everything meanwhile, and the restarts show in status.
/// </summary>
public sealed class ProbeFailureStormSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private const int Failures = 1_000;
    private readonly TestComponents _components = new();

    [Fact]
    public async Task A_thousand_probe_failures_in_a_row_leave_the_agent_up_and_the_other_probes_delivering()
    {
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText("""
            ingrain {
              probes {
                broken { type = failing, pipelines = [p], restart { min-backoff = 1ms, max-backoff = 1ms, random-factor = 0 } }
                steady { type = scripted, pipelines = [p] }
              }
              pipelines.p.backend { type = collect, name = out }
            }
            """, _components.Registry()).Spec!, Logs);

        // The steady probe's measurements go in while the other one fails, restarts and fails again.
        var sent = 0;
        while (topology.ProbeCounters("broken").Restarts < Failures)
        {
            Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter($"m{sent++}")));
            // Paced, so the steady probe's deliveries are spread over the whole storm.
            await Task.Delay(2);
        }
        Assert.True(sent >= 1, "the steady probe sent nothing during the failures");
        await AwaitConditionAsync(() => _components.Of("out").Count == sent, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, sent).Select(i => $"m{i}"), _components.Of("out").Select(m => m.Name));

        var status = topology.Status().ToDictionary(s => s.Path);
        Assert.True(status["ingrain.probes.broken"]["restarts"] >= Failures);
        Assert.True(Volatile.Read(ref _components.FailingRuns) >= Failures);
        Assert.Equal(0, status["ingrain.probes.steady"]["restarts"]);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
    }
}
