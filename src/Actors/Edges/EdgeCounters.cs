namespace Ingrain.Actors.Edges;

/// <summary>
/// What waits on one edge (batches sent and not yet acknowledged, plus those queued at the senders) and what its
/// overflow policy dropped. Several senders may feed one edge (probes into a pipeline's head), so updates are atomic.
/// </summary>
public sealed class EdgeCounters
{
    private long _queued, _dropped;

    public long QueuedBatches => Interlocked.Read(ref _queued);

    public long DroppedBatches => Interlocked.Read(ref _dropped);

    internal void AddQueued(long n) => Interlocked.Add(ref _queued, n);

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() =>
        [new("queued-batches", QueuedBatches), new("dropped-batches", DroppedBatches)];
}
