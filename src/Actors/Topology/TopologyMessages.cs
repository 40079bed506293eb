using Ingrain.Actors.Components;

namespace Ingrain.Actors.Topology;

/// <summary>Start the spec the topology actor was made with; answered by <see cref="TopologyStarted"/>.</summary>
public sealed record StartTopology
{
    public static readonly StartTopology Instance = new();
}

public sealed record TopologyStarted
{
    public static readonly TopologyStarted Instance = new();
}

/// <summary>Turn the running topology into <paramref name="Spec"/>; answered by <see cref="TopologyApplied"/> or a failure.</summary>
public sealed record ApplyTopology(TopologySpec Spec, TimeSpan DrainTimeout);

public sealed record TopologyApplied(TopologyDiff Diff);

/// <summary>Answered by <see cref="TopologyStatus"/>, at any time (also while a reload runs).</summary>
public sealed record GetTopologyStatus
{
    public static readonly GetTopologyStatus Instance = new();
}

/// <param name="Probes">Each probe's counters (totals across its restarts), by name.</param>
/// <param name="Components">Each step's and backend's counters, by path.</param>
public sealed record TopologyStatus(TopologySpec Spec, IReadOnlyList<ComponentStatus> Components,
    IReadOnlyDictionary<string, ProbeCounters> Probes, IReadOnlyDictionary<string, ComponentCounters> Counters,
    IReadOnlyDictionary<string, Akka.Actor.IActorRef> ProbeActors, IReadOnlyDictionary<string, IReadOnlyList<Akka.Actor.IActorRef>> PipelineActors);

/// <summary>Shutdown, first phase: stop every probe (everything it read is sent on); answered by <see cref="ShutdownStepDone"/>.</summary>
public sealed record StopAllProbes(TimeSpan Timeout);

/// <summary>Shutdown, second phase: drain every pipeline (flush steps and writers).</summary>
public sealed record DrainAllPipelines(TimeSpan Timeout);

/// <summary>Shutdown, third phase: close every backend's writer and stop the pipelines.</summary>
public sealed record StopAllPipelines(TimeSpan Timeout);

/// <param name="Complete">False when the phase's time ran out first.</param>
public sealed record ShutdownStepDone(bool Complete);

/// <summary>Timer message of the topology: publish the status to the self-metrics probe.</summary>
internal sealed record PublishSelfMetrics
{
    public static readonly PublishSelfMetrics Instance = new();
}
