using Akka.Actor;
using Ingrain.Actors.Edges;
using Ingrain.Actors.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>A probe actor, once attached, asks the topology where to send (the topology keeps that across restarts).</summary>
public sealed record ProbeWantsTargets(string Probe);

/// <summary>
/// The heads a probe sends to from now on. The probe answers <see cref="ProbeRewired"/> once every batch it sent to a
/// head it no longer feeds was acknowledged: after that nothing more reaches a replaced pipeline, so draining it loses nothing.
/// </summary>
public sealed record Rewire(IReadOnlyList<Edge> Targets);

public sealed record ProbeRewired(string Probe);

/// <summary>A reload offers a running probe new settings (same type and restart block); it answers
/// <see cref="ProbeReconfigured"/>, applied or not (then the probe is replaced).</summary>
public sealed record ReconfigureProbe(ProbeSpec Spec);

public sealed record ProbeReconfigured(string Probe, bool Applied);

/// <summary>
/// The settings a probe actor is created from, each time its backoff supervisor (re)starts it. Written only by the
/// topology actor, once the running probe accepted new settings in place, so a later restart uses those.
/// </summary>
public sealed class ProbeSpecCell(ProbeSpec spec)
{
    private ProbeSpec _spec = spec;

    public ProbeSpec Spec
    {
        get => Volatile.Read(ref _spec);
        set => Volatile.Write(ref _spec, value);
    }
}

/// <summary>
/// Asks a probe to detach and stop: it stops reading, sends on what it already read, and answers
/// <see cref="ProbeStopped"/> once all of it was acknowledged, or when <paramref name="Timeout"/> has passed.
/// </summary>
public sealed record StopProbe(TimeSpan Timeout);

/// <summary>The answer to <see cref="StopProbe"/> (also given by the probe's backoff supervisor while the probe waits for a restart).</summary>
public sealed record ProbeStopped
{
    public static readonly ProbeStopped Instance = new();
}

/// <summary>A probe's read loop failed; its actor fails so the backoff supervisor restarts it.</summary>
public sealed class ProbeFailedException(string probe, Exception inner)
    : Exception($"probe \"{probe}\" failed: {inner.Message}", inner), IReportedFailure;

/// <summary>A probe could not attach; its actor fails so the backoff supervisor retries with backoff.</summary>
public sealed class ProbeAttachException(string probe, Exception inner)
    : Exception($"probe \"{probe}\" could not attach: {inner.Message}", inner), IReportedFailure;

internal sealed record DataAvailable
{
    public static readonly DataAvailable Instance = new();
}

internal sealed record ProbeEnded(Exception? Error);

internal sealed record ProbeDetached
{
    public static readonly ProbeDetached Instance = new();
}

internal sealed record StopDeadline
{
    public static readonly StopDeadline Instance = new();
}

internal sealed record CheckKernelLoss
{
    public static readonly CheckKernelLoss Instance = new();
}
