using Akka;
using Akka.Actor;
using Ingrain.Actors.Components;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Topology;

/// <summary>
/// The edge of the actor system for the agent and the tests: starts the <see cref="TopologyActor"/> for a spec,
/// registers its shutdown tasks in Akka's <see cref="CoordinatedShutdown"/> (stop probes in <c>service-unbind</c>,
/// drain in <c>service-requests-done</c>, close writers in <c>service-stop</c>), and asks it for reloads and status.
/// Every shutdown — the agent's on a signal and the tests' — is that one coordinated shutdown.
/// </summary>
public sealed class RunningTopology
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private readonly ActorSystem _system;
    private readonly IActorRef _actor;

    private RunningTopology(ActorSystem system, IActorRef actor, TopologySpec spec)
    {
        _system = system;
        _actor = actor;
        StartedSpec = spec;
    }

    /// <summary>The spec the topology was started with (the agent's settings stay those until a restart).</summary>
    public TopologySpec StartedSpec { get; }

    /// <summary>The spec the running actors implement now.</summary>
    public TopologySpec Spec => StatusReport().Spec;

    /// <summary>Starts every pipeline, then every probe (so nothing a probe emits finds its pipeline missing).</summary>
    public static RunningTopology Start(ActorSystem system, TopologySpec spec, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        var actor = system.ActorOf(TopologyActor.Props(spec, loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            time ?? TimeProvider.System), "topology");
        actor.Ask<TopologyStarted>(StartTopology.Instance, AskTimeout).GetAwaiter().GetResult();
        var topology = new RunningTopology(system, actor, spec);
        topology.RegisterShutdown();
        return topology;
    }

    /// <summary>The phase timeouts the agent hands Akka: shares of <c>shutdown-timeout</c>, most of it for draining.</summary>
    public static string ShutdownPhasesHocon(TimeSpan total) =>
        $$"""
        akka.coordinated-shutdown.phases {
          service-unbind.timeout = {{Ms(total * 0.25)}}ms
          service-requests-done.timeout = {{Ms(total * 0.5)}}ms
          service-stop.timeout = {{Ms(total * 0.2)}}ms
        }
        """;

    private static long Ms(TimeSpan t) => Math.Max(1, (long)t.TotalMilliseconds);

    private void RegisterShutdown()
    {
        var shutdown = CoordinatedShutdown.Get(_system);
        var total = StartedSpec.Agent.ShutdownTimeout;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-probes", async () =>
        {
            await NoteUnattachedAsync().ConfigureAwait(false);
            return await Step(new StopAllProbes(total * 0.25), total * 0.25).ConfigureAwait(false);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-pipelines", () => Step(new DrainAllPipelines(total * 0.5), total * 0.5));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "close-backends", () => Step(new StopAllPipelines(total * 0.2), total * 0.2));
    }

    /// <summary>Probes that were not attached when the shutdown began, with why: the agent's exit code says it did
    /// not do its job (empty until a shutdown ran).</summary>
    public IReadOnlyList<(string Probe, string Reason)> NotAttachedAtShutdown { get; private set; } = [];

    private async Task NoteUnattachedAsync()
    {
        try
        {
            var status = await _actor.Ask<TopologyStatus>(GetTopologyStatus.Instance, AskTimeout).ConfigureAwait(false);
            NotAttachedAtShutdown = [.. status.Probes.Where(p => !p.Value.Attached && status.Spec.Probes.ContainsKey(p.Key))
                .Select(p => (p.Key, p.Value.NotAttachedReason ?? "not attached"))];
        }
        catch (AskTimeoutException)
        {
        }
    }

    private async Task<Done> Step(object message, TimeSpan timeout)
    {
        try
        {
            await _actor.Ask<ShutdownStepDone>(message, timeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            // The phase's own timeout reports it; shutdown goes on.
        }
        return Done.Instance;
    }

    /// <summary>Turns the running topology into <paramref name="next"/>, touching only what changed.</summary>
    /// <exception cref="Pipeline.PipelineStartException">A new or changed pipeline failed to start: nothing was changed.</exception>
    public async Task<TopologyDiff> ApplyAsync(TopologySpec next, TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        var applied = await _actor.Ask<TopologyApplied>(new ApplyTopology(next, drainTimeout), drainTimeout * 3 + AskTimeout, cancellationToken)
            .ConfigureAwait(false);
        return applied.Diff;
    }

    /// <summary>The whole status (spec, probes' counters, components), without blocking the caller.</summary>
    public Task<TopologyStatus> StatusReportAsync() => _actor.Ask<TopologyStatus>(GetTopologyStatus.Instance, AskTimeout);

    public TopologyStatus StatusReport() => _actor.Ask<TopologyStatus>(GetTopologyStatus.Instance, AskTimeout).GetAwaiter().GetResult();

    /// <summary>Every component's status in the one counter shape, without blocking the caller.</summary>
    public async Task<IReadOnlyList<ComponentStatus>> StatusAsync() =>
        (await _actor.Ask<TopologyStatus>(GetTopologyStatus.Instance, AskTimeout).ConfigureAwait(false)).Components;

    /// <summary>Every component's status in the one counter shape.</summary>
    public IReadOnlyList<ComponentStatus> Status() => StatusReport().Components;

    /// <summary>What probe <paramref name="name"/> emitted, skipped and lost, across its restarts.</summary>
    public ProbeCounters ProbeCounters(string name) => StatusReport().Probes[name];

    /// <summary>Counters of every running step and backend, by path.</summary>
    public IReadOnlyDictionary<string, ComponentCounters> Counters() => StatusReport().Counters;

    /// <summary>The backoff supervisor of probe <paramref name="name"/> (stable across restarts of the probe itself).</summary>
    public IActorRef ProbeActor(string name) => StatusReport().ProbeActors[name];

    /// <summary>Pipeline <paramref name="name"/>'s head (where probes send) and its parent actor.</summary>
    public IReadOnlyList<IActorRef> PipelineActors(string name) => StatusReport().PipelineActors[name];

    /// <summary>Runs Akka's coordinated shutdown (the agent's one shutdown path); true when it finished within <paramref name="timeout"/>.</summary>
    public async Task<bool> ShutdownAsync(TimeSpan timeout)
    {
        var run = CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        return await Task.WhenAny(run, Task.Delay(timeout)).ConfigureAwait(false) == run;
    }
}
