using Ingrain.Actors.Supervision;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Parent of one pipeline instance: creates its backend actor and its step actors (chained back to front) and
/// supervises them with a <see cref="BackoffRestartStrategy"/>. A step or backend whose constructor, PreStart or
/// message handling throws is restarted in place after a backoff — never stopped — so its ref and its queued batches
/// survive, and upstream feels backpressure while it waits. Stopping this actor stops the whole pipeline.
/// <see cref="PipelineStartup.Ready"/> completes once every component started, or faults with a
/// <see cref="PipelineStartException"/> at the first component that failed before that (a reload uses it to roll back).
/// </summary>
internal sealed class PipelineSupervisor : ReceiveActor
{
    /// <summary>First restart delay; doubles per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>A failure this long after the previous one starts the backoff over from <see cref="MinBackoff"/>.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(30);

    private const double RandomFactor = 0.2;

    private readonly PipelineStartup _startup;
    private readonly Dictionary<IActorRef, string> _components = new();
    private readonly HashSet<IActorRef> _notStarted = new();

    public PipelineSupervisor(PipelineSpec spec, BackendContext context, BackendLifetime lifetime, IReadOnlyList<ComponentCounters> counters,
        PipelineStartup startup)
    {
        _startup = startup;
        var backendIndex = spec.Steps.Count;
        var next = Context.ActorOf(BackendActor.Props(spec.Backend, context, lifetime, counters[backendIndex]), "backend");
        var actors = new IActorRef[backendIndex + 1];
        actors[backendIndex] = next;
        _components[next] = spec.Backend.Path;
        for (var i = backendIndex - 1; i >= 0; i--)
        {
            next = Context.ActorOf(StepActor.Props(spec.Steps[i], next, counters[i]), $"step{i}-{spec.Steps[i].Type.Name}");
            actors[i] = next;
            _components[next] = spec.Steps[i].Path;
        }
        _notStarted.UnionWith(actors);
        Receive<ComponentStarted>(_ =>
        {
            if (_notStarted.Remove(Sender) && _notStarted.Count == 0) _startup.ReadySource.TrySetResult();
        });
        startup.ActorsSource.TrySetResult(actors);
    }

    public static Props Props(PipelineSpec spec, BackendContext context, BackendLifetime lifetime, IReadOnlyList<ComponentCounters> counters,
        PipelineStartup startup) =>
        Ingrain.Actors.Props.Create(() => new PipelineSupervisor(spec, context, lifetime, counters, startup));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new BackoffRestartStrategy(MinBackoff, MaxBackoff, RandomFactor, ResetAfter, OnChildFailure);

    private void OnChildFailure(IActorRef child, Exception cause)
    {
        if (_notStarted.Contains(child) && _components.TryGetValue(child, out var component))
            _startup.ReadySource.TrySetException(new PipelineStartException(component, cause));
    }
}

/// <summary>What a <see cref="PipelineSupervisor"/> reports while it starts: its actors (steps in order, then the
/// backend) once created, and whether they all started.</summary>
internal sealed class PipelineStartup
{
    internal TaskCompletionSource<IReadOnlyList<IActorRef>> ActorsSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal TaskCompletionSource ReadySource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<IActorRef>> Actors => ActorsSource.Task;

    public Task Ready => ReadySource.Task;
}
