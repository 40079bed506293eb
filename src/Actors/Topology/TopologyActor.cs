using Akka.Actor;
using Ingrain.Actors.Edges;
using Ingrain.Actors.Pipeline;
using Ingrain.Actors.Components;
using Ingrain.Actors.Topology.SelfMetrics;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Topology;

/// <summary>
/// Owns the running topology: one probe actor (under its backoff supervisor) per probe, one <see cref="PipelineActor"/>
/// per pipeline. Start, reload and the shutdown phases are operations that run one at a time — each a sequence of
/// steps that send messages and wait for the answers (<see cref="Wait"/>) — while requests for another operation are
/// stashed; status and "where do I send" are answered at once, also mid-operation. Nothing here blocks or awaits.
/// </summary>
internal sealed partial class TopologyActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeStopTimeout = TimeSpan.FromSeconds(15);
    // How long a reload waits for running probes to say whether they took new settings in place.
    private static readonly TimeSpan ReconfigureTimeout = TimeSpan.FromSeconds(3);
    // How long a reload waits for a changed probe's new instance to attach before it stops the old one anyway.
    private static readonly TimeSpan ProbeAttachTimeout = TimeSpan.FromSeconds(10);
    private const double WriterShareOfDrain = 0.8;

    private readonly ILogger _logger;
    private readonly BackendContext _backendContext;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, RunningPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningProbe> _probes = new(StringComparer.Ordinal);
    private readonly List<RunningPipeline> _retired = [];
    // Children already terminated: a later wait for their termination must not wait for what already happened.
    private readonly HashSet<string> _dead = [];
    // Probes the shutdown stopped: their counters stay in the status to the end.
    private readonly Dictionary<string, RunningProbe> _stoppedProbes = new(StringComparer.Ordinal);
    // The self-metrics virtual probe's input (null when self-metrics is off); it runs as the probe SelfMetricsProbeModule.ProbeName.
    private SelfMetricsFeed? _selfMetrics;
    private TopologySpec _spec;
    private int _generation;
    private bool _stopping;

    private IEnumerator<Wait>? _operation;
    private Wait? _wait;
    private IActorRef _requester = ActorRefs.Nobody;

    public TopologyActor(TopologySpec spec, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _spec = spec;
        _loggerFactory = loggerFactory;
        _time = time;
        _logger = loggerFactory.CreateLogger("ingrain.topology");
        _backendContext = new BackendContext(loggerFactory, time);

        Receive<GetTopologyStatus>(_ => Sender.Tell(Status()));
        Receive<ProbeWantsTargets>(m =>
        {
            if (_probes.TryGetValue(m.Probe, out var probe)) Sender.Tell(new Rewire(probe.Targets));
            Offer(Sender, m); // a reload may wait for a new instance to have attached
        });
        Receive<StartTopology>(_ => Begin(StartOperation()));
        Receive<PublishSelfMetrics>(_ => _selfMetrics?.Publish(Status().Components));
        Receive<ApplyTopology>(m =>
        {
            if (_stopping) Sender.Tell(new Status.Failure(new InvalidOperationException("the topology is shutting down; reload refused")));
            else Begin(ApplyOperation(m.Spec, m.DrainTimeout));
        });
        Receive<StopAllProbes>(m => Begin(StopProbesOperation(m.Timeout)));
        Receive<DrainAllPipelines>(m => Begin(DrainOperation(m.Timeout)));
        Receive<StopAllPipelines>(m => Begin(StopPipelinesOperation(m.Timeout)));
        Receive<WaitTimedOut>(m =>
        {
            if (_wait?.Id != m.Id) return;
            _wait.TimedOut = true;
            _logger.LogWarning("{What}: no answer from {Pending} in {Timeout}; going on", _wait.What, string.Join(", ", _wait.Pending), _wait.Timeout);
            Advance();
        });
        Receive<Terminated>(t =>
        {
            _dead.Add(t.ActorRef.Path.ToString());
            Offer(t.ActorRef, t);
        });
        ReceiveAny(m => Offer(Sender, m));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(TopologySpec spec, ILoggerFactory loggerFactory, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new TopologyActor(spec, loggerFactory, time));

    private void Offer(IActorRef sender, object message)
    {
        if (_wait is not null && _wait.Offer(sender, message))
        {
            if (_wait.Pending.Count == 0) Advance();
            return;
        }
        switch (message)
        {
            case PipelineStartFailed f:
                _logger.LogWarning("{Component}: could not start ({Reason}); retrying with backoff", f.Component, f.Reason);
                break;
            case Terminated t when _probes.Values.FirstOrDefault(p => p.Actor.Equals(t.ActorRef)) is { } probe:
                _logger.LogError("probe {Probe} stopped for good (its restart block's max-retries was reached)", probe.Spec.Name);
                break;
        }
    }

    /// <summary>Starts an operation now, or stashes the request until the running one ends.</summary>
    private void Begin(IEnumerable<Wait> operation)
    {
        if (_operation is not null)
        {
            Stash.Stash();
            return;
        }
        _requester = Sender;
        _operation = operation.GetEnumerator();
        Advance();
    }

    private void Advance()
    {
        Timers.Cancel("wait");
        while (true)
        {
            bool more;
            try
            {
                more = _operation!.MoveNext();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "topology operation failed");
                _requester.Tell(new Status.Failure(e));
                more = false;
            }
            if (!more)
            {
                _operation = null;
                _wait = null;
                Stash.UnstashAll();
                return;
            }
            _wait = _operation!.Current;
            if (_wait.Pending.Count == 0) continue;
            Timers.StartSingleTimer("wait", new WaitTimedOut(_wait.Id), _wait.Timeout);
            return;
        }
    }

    private TopologyStatus Status()
    {
        var components = new List<ComponentStatus>();
        foreach (var (name, probe) in _probes)
            components.Add(new ComponentStatus(ProbePath(name), probe.Counters.Snapshot(), ComponentStatus.ProbeState(probe.Counters))
                { Identity = ProbeIdentity(probe) });
        // While the shutdown stops them one by one, a probe is in both: still running counts.
        var stoppedOnly = _stoppedProbes.Where(p => !_probes.ContainsKey(p.Key)).ToArray();
        foreach (var (name, stopped) in stoppedOnly)
            components.Add(new ComponentStatus(ProbePath(name), stopped.Counters.Snapshot(),
                stopped.Counters.NotAttachedReason is { } reason ? $"stopped, was not attached ({reason})" : "stopped") { Identity = ProbeIdentity(stopped) });
        var counters = new SortedDictionary<string, ComponentCounters>(StringComparer.Ordinal);
        foreach (var pipeline in _pipelines.Values)
        {
            var w = pipeline.Wiring;
            for (var i = 0; i < w.Paths.Count; i++)
            {
                // One shape: the component's own counters, the edge into it, then the step's or writer's details.
                var own = w.Counters[i].Snapshot();
                var edge = w.Edges[i].Snapshot();
                var isStep = i < pipeline.Spec.Steps.Count;
                var identity = new ComponentIdentity(isStep ? ComponentKind.Step : ComponentKind.Backend,
                    isStep ? pipeline.Spec.Steps[i].Type.Name : pipeline.Spec.Backend.Type.Name, null, pipeline.Spec.Name, 4, edge.Count);
                components.Add(new ComponentStatus(w.Paths[i], [.. own.Take(4), .. edge, .. own.Skip(4)]) { Identity = identity });
                counters[w.Paths[i]] = w.Counters[i];
            }
        }
        return new TopologyStatus(_spec, components,
            _probes.Concat(stoppedOnly).ToDictionary(p => p.Key, p => p.Value.Counters),
            counters,
            _probes.ToDictionary(p => p.Key, p => p.Value.Actor),
            _pipelines.ToDictionary(p => p.Key, p => (IReadOnlyList<IActorRef>)[p.Value.Head ?? ActorRefs.Nobody, p.Value.Actor]));
    }

    private static string ProbePath(string name) => name == SelfMetricsProbeModule.ProbeName ? name : $"ingrain.probes.{name}";

    private static ComponentIdentity ProbeIdentity(RunningProbe probe)
    {
        var details = probe.Counters.Details?.Snapshot().Count ?? 0;
        return new ComponentIdentity(ComponentKind.Probe, probe.Spec.Type.Name, probe.Spec.Name, null, probe.Counters.Snapshot().Count - details, 0);
    }

    private sealed class RunningPipeline(PipelineSpec spec, int generation, IActorRef actor, PipelineWiring wiring, CancellationTokenSource deadline)
    {
        public PipelineSpec Spec { get; } = spec;
        public int Generation { get; } = generation;
        public IActorRef Actor { get; } = actor;
        public PipelineWiring Wiring { get; } = wiring;
        public CancellationTokenSource Deadline { get; } = deadline;
        public IActorRef? Head { get; set; }
        public bool WaitsForPredecessors { get; set; }

        /// <summary>The edge into the pipeline, with the head's window and overflow policy.</summary>
        public Edge HeadEdge => new(Head!, Spec.Steps.Count > 0 ? Spec.Steps[0].Mailbox : Spec.Backend.Mailbox, Wiring.Edges[0]);
    }

    private sealed class RunningProbe(ProbeSpecCell spec, IActorRef actor, ProbeCounters counters)
    {
        public ProbeSpecCell Cell { get; } = spec;
        public ProbeSpec Spec => Cell.Spec;
        public IActorRef Actor { get; } = actor;
        public ProbeCounters Counters { get; } = counters;
        public IReadOnlyList<Edge> Targets { get; set; } = [];
    }
}
