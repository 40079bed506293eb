namespace Ingrain.Actors.Pipeline;

/// <summary>Timer message: a step or backend flushes what it holds back.</summary>
internal sealed record FlushTick
{
    public static readonly FlushTick Instance = new();

    private FlushTick() { }
}

/// <summary>
/// Sent to the head of a pipeline after its probes stopped: each step flushes into the next and passes it on; the
/// backend flushes its writer and completes <see cref="Done"/> — also when a flush throws (the actor then restarts).
/// Mailboxes are FIFO per sender and every probe has stopped sending (its actor terminated, or a reload's rewire
/// completed), so everything queued before the drain is written before it completes.
/// </summary>
public sealed record Drain(TaskCompletionSource Done)
{
    public static Drain Create() => new(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Raised by a step actor after a batch in which its step threw, so its supervisor restarts it.</summary>
public sealed class StepFailedException(string component, int failures, Exception first)
    : Exception($"{component}: {failures} measurement(s) failed in this batch; restarting the step. First error: {first.Message}", first);

/// <summary>Raised by a backend actor when its writer threw, so its supervisor restarts it (and re-creates the writer).</summary>
public sealed class BackendFailedException(string component, Exception inner)
    : Exception($"{component}: the backend writer failed ({inner.Message}); restarting it", inner);

/// <summary>A step or backend actor tells its <see cref="PipelineSupervisor"/> it was constructed and started.</summary>
internal sealed record ComponentStarted
{
    public static readonly ComponentStarted Instance = new();

    private ComponentStarted() { }
}

/// <summary>
/// A component of a pipeline started by a reload failed while starting (its constructor or PreStart threw). The
/// reload is rolled back: the running topology is kept as it was. Fix the component's settings (or what it needs,
/// e.g. a file it opens) and reload again.
/// </summary>
public sealed class PipelineStartException(string component, Exception inner)
    : Exception($"{component}: could not start ({inner.InnerException?.Message ?? inner.Message}); the reload was rolled back", inner)
{
    public string Component { get; } = component;
}
