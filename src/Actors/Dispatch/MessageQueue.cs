using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Ingrain.Actors.Dispatch;

/// <summary>The user-message queue of a mailbox: many writers, one reader (the actor), except when draining
/// a closed mailbox to dead letters, where readers may race (both implementations allow that).</summary>
internal abstract class MessageQueue
{
    public abstract int Count { get; }

    public abstract bool HasMessages { get; }

    /// <summary>False when the message was not queued: the queue is full under backpressure, or closed.</summary>
    public abstract bool TryEnqueue(in Envelope envelope);

    /// <summary>Waits for space (backpressure). Throws <see cref="ChannelClosedException"/> once closed.</summary>
    public abstract ValueTask EnqueueAsync(Envelope envelope, CancellationToken cancellationToken);

    public abstract bool TryDequeue(out Envelope envelope);

    /// <summary>No further messages are accepted; waiting writers are released.</summary>
    public abstract void Close();

    public static MessageQueue Create(MailboxOptions options, Func<MailboxStats> stats) =>
        options.Capacity is { } capacity
            ? new BoundedMessageQueue(capacity, options.Overflow, stats)
            : new UnboundedMessageQueue();
}

internal sealed class UnboundedMessageQueue : MessageQueue
{
    // ConcurrentQueue reuses its ring segment while the reader keeps up, so steady-state Tell does not allocate.
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private volatile bool _closed;

    public override int Count => _queue.Count;

    public override bool HasMessages => !_queue.IsEmpty;

    public override bool TryEnqueue(in Envelope envelope)
    {
        if (_closed) return false;
        _queue.Enqueue(envelope);
        return true;
    }

    public override ValueTask EnqueueAsync(Envelope envelope, CancellationToken cancellationToken) =>
        TryEnqueue(envelope) ? default : ValueTask.FromException(new ChannelClosedException());

    public override bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    public override void Close() => _closed = true;
}

internal sealed class BoundedMessageQueue : MessageQueue
{
    private readonly Channel<Envelope> _channel;
    private readonly OverflowPolicy _overflow;

    public BoundedMessageQueue(int capacity, OverflowPolicy overflow, Func<MailboxStats> stats)
    {
        _overflow = overflow;
        var options = new BoundedChannelOptions(capacity)
        {
            SingleReader = false,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
            FullMode = overflow switch
            {
                OverflowPolicy.Backpressure => BoundedChannelFullMode.Wait,
                OverflowPolicy.DropIncoming => BoundedChannelFullMode.DropWrite, // NOT DropNewest: that evicts a queued item
                OverflowPolicy.DropOldest => BoundedChannelFullMode.DropOldest,
                _ => throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow policy."),
            },
        };
        Action<Envelope>? dropped = overflow switch
        {
            OverflowPolicy.DropIncoming => _ => stats().CountDroppedIncoming(),
            OverflowPolicy.DropOldest => _ => stats().CountDroppedOldest(),
            _ => null,
        };
        _channel = Channel.CreateBounded(options, dropped);
    }

    public override int Count => _channel.Reader.Count;

    public override bool HasMessages => _channel.Reader.Count > 0;

    public override bool TryEnqueue(in Envelope envelope) => _channel.Writer.TryWrite(envelope);

    public override ValueTask EnqueueAsync(Envelope envelope, CancellationToken cancellationToken) =>
        _overflow == OverflowPolicy.Backpressure
            ? _channel.Writer.WriteAsync(envelope, cancellationToken)
            : TryEnqueue(envelope) ? default : ValueTask.FromException(new ChannelClosedException());

    public override bool TryDequeue(out Envelope envelope) => _channel.Reader.TryRead(out envelope);

    public override void Close() => _channel.Writer.TryComplete();
}
