using Ingrain.Actors.Supervision;
using Ingrain.Actors.Topology;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Parent of one pipeline instance: creates its backend actor and its step actors (chained back to front) and
/// supervises them with a <see cref="BackoffRestartStrategy"/>. A step or backend whose constructor, PreStart or
/// message handling throws is restarted in place after a backoff — never stopped — so its ref and its queued batches
/// survive, and upstream feels backpressure while it waits. Stopping this actor stops the whole pipeline.
/// </summary>
internal sealed class PipelineSupervisor : ReceiveActor
{
    /// <summary>First restart delay; doubles per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>A failure this long after the previous one starts the backoff over from <see cref="MinBackoff"/>.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(30);

    private const double RandomFactor = 0.2;

    public PipelineSupervisor(PipelineSpec spec, BackendContext context, IReadOnlyList<ComponentCounters> counters,
        TaskCompletionSource<IReadOnlyList<IActorRef>> children)
    {
        var backendIndex = spec.Steps.Count;
        var next = Context.ActorOf(BackendActor.Props(spec.Backend, context, counters[backendIndex]), "backend");
        var actors = new IActorRef[backendIndex + 1];
        actors[backendIndex] = next;
        for (var i = backendIndex - 1; i >= 0; i--)
        {
            next = Context.ActorOf(StepActor.Props(spec.Steps[i], next, counters[i]), $"step{i}-{spec.Steps[i].Type.Name}");
            actors[i] = next;
        }
        children.TrySetResult(actors);
    }

    /// <summary>The pipeline's supervisor; <paramref name="children"/> receives its steps in order, then its backend.</summary>
    public static Props Props(PipelineSpec spec, BackendContext context, IReadOnlyList<ComponentCounters> counters,
        TaskCompletionSource<IReadOnlyList<IActorRef>> children) =>
        Ingrain.Actors.Props.Create(() => new PipelineSupervisor(spec, context, counters, children));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new BackoffRestartStrategy(MinBackoff, MaxBackoff, RandomFactor, ResetAfter);
}
