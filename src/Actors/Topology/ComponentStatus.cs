namespace Ingrain.Actors.Topology;

/// <summary>
/// One component's status in the one counter shape: its path and its counters by name, in a fixed order — for a probe
/// emitted, malformed, kernel-lost, handler-failures, restarts (then its own); for a step or backend received,
/// emitted, dropped, failed, then the edge into it (queued-batches, dropped-batches), then the step's or the
/// backend writer's own (sent, retried, dropped, spooled, failed). A probe also has a <see cref="State"/>:
/// <c>attached</c>, or <c>not attached (reason)</c>.
/// </summary>
public sealed record ComponentStatus(string Path, IReadOnlyList<KeyValuePair<string, long>> Counters, string? State = null)
{
    /// <summary>A probe's state from its counters (which outlive its restarts).</summary>
    public static string ProbeState(ProbeCounters counters) =>
        counters.NotAttachedReason is { } reason ? $"not attached ({reason})" : "attached";

    /// <summary>The first counter named <paramref name="name"/> (0 when the component has none).</summary>
    public long this[string name] => Counters.FirstOrDefault(c => c.Key == name).Value;

    public override string ToString() =>
        $"{Path}: {(State is null ? "" : State + " ")}{string.Join(' ', Counters.Select(kv => $"{kv.Key}={kv.Value}"))}";
}
