namespace Ingrain.Actors.Topology;

/// <summary>
/// A snapshot of one running component: what it counted (received, emitted, dropped, failed — in measurements) and
/// its inbox (batches queued now, and batches lost to a full mailbox under a drop policy), plus the component's own
/// counters when it keeps any (<see cref="Ingrain.Actors.Pipeline.ComponentCounters.Details"/>).
/// </summary>
public sealed record ComponentStatus(string Path, long Received, long Emitted, long Dropped, long Failed, int QueuedBatches, long DroppedBatches,
    IReadOnlyList<KeyValuePair<string, long>>? Details = null)
{
    public override string ToString() =>
        $"{Path}: received={Received} emitted={Emitted} dropped={Dropped} failed={Failed} queued-batches={QueuedBatches} dropped-batches={DroppedBatches}"
        + (Details is { Count: > 0 } d ? " " + string.Join(' ', d.Select(kv => $"{kv.Key}={kv.Value}")) : "");
}
