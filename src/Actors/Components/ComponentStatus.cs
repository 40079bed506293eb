namespace Ingrain.Actors.Components;

/// <summary>
/// One component's status in the one counter shape: its path and its counters by name, in a fixed order — for a probe
/// emitted, malformed, kernel-lost, handler-failures, restarts (then its own); for a step or backend received,
/// emitted, dropped, failed, then the edge into it (queued-batches, dropped-batches), then the step's or the
/// backend writer's own (writer.sent, writer.retried, writer.dropped, writer.spooled, writer.failed). A probe also has a <see cref="State"/>:
/// <c>attached</c>, or <c>not attached (reason)</c>.
/// </summary>
public sealed record ComponentStatus(string Path, IReadOnlyList<KeyValuePair<string, long>> Counters, string? State = null)
{
    /// <summary>What the component is and which of its counters are whose, for self-metrics and Prometheus.</summary>
    public ComponentIdentity? Identity { get; init; }

    /// <summary>A probe's state from its counters (which outlive its restarts).</summary>
    public static string ProbeState(ProbeCounters counters) =>
        counters.NotAttachedReason is { } reason ? $"not attached ({reason})" : "attached";

    /// <summary>The first counter named <paramref name="name"/> (0 when the component has none).</summary>
    public long this[string name] => Counters.FirstOrDefault(c => c.Key == name).Value;

    public override string ToString() =>
        $"{Path}: {(State is null ? "" : State + " ")}{string.Join(' ', Counters.Select(kv => $"{kv.Key}={kv.Value}"))}";
}

/// <summary>
/// What a status entry is: its kind and type, the probe or pipeline it belongs to, and how its counters split — the
/// first <paramref name="Common"/> are the kind's own (a probe's five, a step's or backend's four), the next
/// <paramref name="Edge"/> belong to the edge into it, the rest are the type's own (a probe's details, a step's
/// details, a backend writer's counters).
/// </summary>
public sealed record ComponentIdentity(ComponentKind Kind, string Type, string? Probe, string? Pipeline, int Common, int Edge);
