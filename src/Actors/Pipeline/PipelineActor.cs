using Akka.Actor;
using Akka.Event;
using Ingrain.Actors.Edges;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Parent of one pipeline instance: creates its backend actor and its step actors, chained back to front by edges.
/// Tells the topology <see cref="PipelineReady"/> once every component started, or <see cref="PipelineStartFailed"/>
/// at the first that could not (a reload then rolls back; at start-up the component keeps retrying on its own).
/// Components never fail as actors — a step or writer that throws is rebuilt inside its actor — so a failure Akka
/// does see is a bug: the child is restarted (its mailbox kept), and logged. <see cref="ClosePipeline"/> closes the
/// backend's writer, then stops the pipeline.
/// </summary>
internal sealed class PipelineActor : ReceiveActor
{
    private readonly PipelineSpec _spec;
    private readonly int _generation;
    private readonly IActorRef _topology;
    private readonly HashSet<string> _notStarted = [];
    private readonly IActorRef _backend;
    private bool _failedReported;

    public PipelineActor(PipelineSpec spec, int generation, IActorRef topology, PipelineWiring wiring, BackendContext context,
        CancellationToken deadline, bool waitForPredecessors)
    {
        _spec = spec;
        _generation = generation;
        _topology = topology;
        var backendIndex = spec.Steps.Count;
        _backend = Context.ActorOf(BackendActor.Props(spec.Backend, context, deadline, waitForPredecessors, wiring.Counters[backendIndex]), "backend");
        var next = new Edge(_backend, spec.Backend.Mailbox, wiring.Edges[backendIndex]);
        for (var i = backendIndex - 1; i >= 0; i--)
        {
            var step = Context.ActorOf(StepActor.Props(spec.Steps[i], next, wiring.Counters[i], context.LoggerFactory, context.Time),
                $"step{i}-{spec.Steps[i].Type.Name}");
            next = new Edge(step, spec.Steps[i].Mailbox, wiring.Edges[i]);
        }
        _topology.Tell(new PipelineCreated(spec.Name, generation, next.Target));
        foreach (var s in spec.Steps) _notStarted.Add(s.Path);
        _notStarted.Add(spec.Backend.Path);

        Receive<ComponentStarted>(started =>
        {
            if (_notStarted.Remove(started.Component) && _notStarted.Count == 0) _topology.Tell(new PipelineReady(_spec.Name, _generation));
        });
        Receive<ComponentStartFailed>(failed =>
        {
            if (_failedReported || !_notStarted.Contains(failed.Component)) return;
            _failedReported = true;
            _topology.Tell(new PipelineStartFailed(_spec.Name, _generation, failed.Component, failed.Reason));
        });
        Receive<PredecessorsClosed>(m => _backend.Forward(m));
        Receive<ClosePipeline>(_ => _backend.Tell(CloseWriter.Instance));
        Receive<WriterClosed>(_ => Context.Stop(Self));
    }

    public static Props Props(PipelineSpec spec, int generation, IActorRef topology, PipelineWiring wiring, BackendContext context,
        CancellationToken deadline, bool waitForPredecessors) =>
        Akka.Actor.Props.Create(() => new PipelineActor(spec, generation, topology, wiring, context, deadline, waitForPredecessors));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        Context.GetLogger().Error(e, "{0}: a pipeline component failed unexpectedly; restarting it", _spec.Name);
        return Directive.Restart;
    });
}

/// <summary>
/// The counters of one pipeline instance, made by the topology before the actors so it can read them for status:
/// per component (steps in order, then the backend) its counters and the counters of the edge into it.
/// </summary>
public sealed record PipelineWiring(IReadOnlyList<string> Paths, IReadOnlyList<ComponentCounters> Counters, IReadOnlyList<EdgeCounters> Edges)
{
    public static PipelineWiring For(PipelineSpec spec)
    {
        var paths = spec.Steps.Select(s => s.Path).Append(spec.Backend.Path).ToArray();
        return new(paths, paths.Select(_ => new ComponentCounters()).ToArray(), paths.Select(_ => new EdgeCounters()).ToArray());
    }
}
