namespace Ingrain.Actors.Pipeline;

/// <summary>Timer message: a step or backend flushes what it holds back.</summary>
internal sealed record FlushTick
{
    public static readonly FlushTick Instance = new();

    private FlushTick() { }
}

/// <summary>A step or backend tells its pipeline it is ready (its step built, its writer open or waiting its turn).</summary>
internal sealed record ComponentStarted(string Component);

/// <summary>A step or backend could not start (it keeps retrying with backoff); a reload that waits for it rolls back.</summary>
internal sealed record ComponentStartFailed(string Component, string Reason);

/// <summary>A pipeline instance exists: <paramref name="Head"/> (its first step, or its backend) is where probes send.</summary>
public sealed record PipelineCreated(string Pipeline, int Generation, Akka.Actor.IActorRef Head);

/// <summary>A pipeline instance tells the topology every component started.</summary>
public sealed record PipelineReady(string Pipeline, int Generation);

/// <summary>A pipeline instance tells the topology a component failed to start.</summary>
public sealed record PipelineStartFailed(string Pipeline, int Generation, string Component, string Reason);

/// <summary>The instances a reload replaces have closed their writers: a backend waiting for them may open its own.</summary>
internal sealed record PredecessorsClosed
{
    public static readonly PredecessorsClosed Instance = new();
}

/// <summary>Asks a pipeline to close its backend's writer and stop; it stops once the writer is closed.</summary>
internal sealed record ClosePipeline
{
    public static readonly ClosePipeline Instance = new();
}

/// <summary>Asks a backend actor to close (flush and dispose) its writer; it answers <see cref="WriterClosed"/>.</summary>
internal sealed record CloseWriter
{
    public static readonly CloseWriter Instance = new();
}

internal sealed record WriterClosed
{
    public static readonly WriterClosed Instance = new();
}

/// <summary>A step or backend rebuilds its step or writer after a failure (the backoff passed).</summary>
internal sealed record Rebuild
{
    public static readonly Rebuild Instance = new();
}

/// <summary>
/// A component of a pipeline started by a reload failed while starting. The reload is rolled back: the running
/// topology is kept as it was. Fix the component's settings (or what it needs, e.g. a file it opens) and reload again.
/// </summary>
public sealed class PipelineStartException(string component, string reason)
    : Exception($"{component}: could not start ({reason}); the reload was rolled back")
{
    public string Component { get; } = component;
}
