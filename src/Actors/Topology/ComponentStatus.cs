namespace Ingrain.Actors.Topology;

/// <summary>
/// A snapshot of one running component: what it counted (received, emitted, dropped, failed — in measurements) and
/// its inbox (batches queued now, and batches lost to a full mailbox under a drop policy).
/// </summary>
public sealed record ComponentStatus(string Path, long Received, long Emitted, long Dropped, long Failed, int QueuedBatches, long DroppedBatches)
{
    public override string ToString() =>
        $"{Path}: received={Received} emitted={Emitted} dropped={Dropped} failed={Failed} queued-batches={QueuedBatches} dropped-batches={DroppedBatches}";
}
