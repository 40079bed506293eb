namespace Ingrain.Actors.Dispatch;

/// <summary>
/// Live counters of one actor's mailbox. Thread-safe to read from anywhere; get it with
/// <c>actorRef.GetMailboxStats()</c>. The counters survive restarts because the mailbox belongs to the cell.
/// </summary>
public sealed class MailboxStats
{
    private readonly MessageQueue? _queue;
    private long _droppedIncoming, _droppedOldest;

    internal MailboxStats(MessageQueue? queue, MailboxOptions options)
    {
        _queue = queue;
        Options = options;
    }

    /// <summary>Stats of something that has no mailbox (dead letters, ask promises): all zero.</summary>
    public static readonly MailboxStats None = new(null, MailboxOptions.Unbounded);

    public MailboxOptions Options { get; }

    /// <summary>User messages currently queued (not counting stashed ones).</summary>
    public int Count => _queue?.Count ?? 0;

    /// <summary>Arriving messages discarded because the mailbox was full (<see cref="OverflowPolicy.DropIncoming"/>).</summary>
    public long DroppedIncoming => Interlocked.Read(ref _droppedIncoming);

    /// <summary>Queued messages evicted to make room (<see cref="OverflowPolicy.DropOldest"/>).</summary>
    public long DroppedOldest => Interlocked.Read(ref _droppedOldest);

    /// <summary>All messages lost to overflow, whatever the policy.</summary>
    public long Dropped => DroppedIncoming + DroppedOldest;

    internal void CountDroppedIncoming() => Interlocked.Increment(ref _droppedIncoming);

    internal void CountDroppedOldest() => Interlocked.Increment(ref _droppedOldest);

    public override string ToString() =>
        $"{Options}: queued={Count} droppedIncoming={DroppedIncoming} droppedOldest={DroppedOldest}";
}
