namespace Ingrain.Actors.Dispatch;

/// <summary>
/// What a bounded mailbox does with a message that arrives when it is full. Named by what happens, because
/// .NET's <c>BoundedChannelFullMode.DropNewest</c> evicts a queued item, which is not Akka's or Vector's "drop newest".
/// </summary>
public enum OverflowPolicy
{
    /// <summary>The sender waits for space: <c>Tell</c> blocks, <c>TellAsync</c> awaits.</summary>
    Backpressure,

    /// <summary>The arriving message is discarded and counted in <see cref="MailboxStats.DroppedIncoming"/>.</summary>
    DropIncoming,

    /// <summary>The oldest queued message is evicted to make room, counted in <see cref="MailboxStats.DroppedOldest"/>.</summary>
    DropOldest,
}

/// <summary>
/// The user-message queue of an actor. <see cref="Unbounded"/> by default; <see cref="Bounded"/> gives a capacity
/// and an <see cref="OverflowPolicy"/>. System messages (stop, watch, failures) always have their own unbounded queue.
/// </summary>
public sealed record MailboxOptions
{
    public static readonly MailboxOptions Unbounded = new(null, OverflowPolicy.Backpressure);

    private MailboxOptions(int? capacity, OverflowPolicy overflow)
    {
        Capacity = capacity;
        Overflow = overflow;
    }

    /// <summary>Maximum number of queued user messages; null means unbounded.</summary>
    public int? Capacity { get; }

    public OverflowPolicy Overflow { get; }

    public static MailboxOptions Bounded(int capacity, OverflowPolicy overflow)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A bounded mailbox needs a capacity > 0.");
        if (!Enum.IsDefined(overflow))
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow policy.");
        return new MailboxOptions(capacity, overflow);
    }

    public override string ToString() => Capacity is { } c ? $"bounded({c}, {Overflow})" : "unbounded";
}
