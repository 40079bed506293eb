using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Ingrain.Actors.Dispatch;

/// <summary>
/// The queues of one actor and the switch that runs them on the thread pool. The mailbox belongs to the cell,
/// not to the actor instance: a restart replaces the instance and keeps every queued message.
/// <para>
/// Guarantees, as Akka states them: messages sent directly from A to B arrive in send order (FIFO per
/// sender→receiver pair); there is no ordering across senders, and none between a child's failure (a system
/// message) and the user messages it sent before failing. One turn runs every pending system message first,
/// then at most <c>throughput</c> user messages, draining system messages again after each one — a user
/// message never runs while a system message is pending — and then yields the thread.
/// </para>
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int ScheduledBit = 1;
    private const int ClosedBit = 2;

    private readonly MessageQueue _user;
    // Runtime-generated messages (Terminated, timer ticks) for a bounded mailbox: they never count against the
    // capacity, never block the actor that produces them and are never dropped.
    private readonly ConcurrentQueue<Envelope> _internal = new();
    private readonly ConcurrentQueue<SystemMessage> _system = new();
    private readonly Stack<Envelope> _unstashed = new(); // touched by the running turn only
    private IMailboxOwner _owner = null!;
    private int _status;

    public Mailbox(MailboxOptions options)
    {
        MailboxStats? stats = null;
        _user = MessageQueue.Create(options, () => stats!);
        Stats = stats = new MailboxStats(_user, options);
    }

    public MailboxStats Stats { get; }

    /// <summary>Turns started so far (for the fairness spec: a turn handles at most <c>throughput</c> messages).</summary>
    internal long Turns { get; private set; }

    public bool IsClosed => (Volatile.Read(ref _status) & ClosedBit) != 0;

    public void Attach(IMailboxOwner owner) => _owner = owner;

    /// <summary>Queues a user message. Blocks the calling thread while a backpressure mailbox is full.</summary>
    public void Post(object message, IActorRef? sender)
    {
        var envelope = new Envelope(message, sender);
        if (!_user.TryEnqueue(envelope))
        {
            if (IsClosed)
            {
                _owner.DeadLetter(envelope);
                return;
            }
            try
            {
                // Full under backpressure: the sender waits. Allocates only on this slow path.
                _user.EnqueueAsync(envelope, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException)
            {
                _owner.DeadLetter(envelope);
                return;
            }
        }
        Schedule();
    }

    /// <summary>Queues a user message, awaiting space while a backpressure mailbox is full.</summary>
    public ValueTask PostAsync(object message, IActorRef? sender, CancellationToken cancellationToken)
    {
        var envelope = new Envelope(message, sender);
        if (_user.TryEnqueue(envelope))
        {
            Schedule();
            return default;
        }
        if (IsClosed)
        {
            _owner.DeadLetter(envelope);
            return default;
        }
        return WaitAndPostAsync(envelope, cancellationToken);
    }

    // Pooled state machine: a producer that waits often on a full mailbox does not allocate per wait.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitAndPostAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await _user.EnqueueAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            _owner.DeadLetter(envelope);
            return;
        }
        Schedule();
    }

    /// <summary>
    /// Queues a runtime-generated message. An unbounded mailbox takes it in its user queue, so a Terminated arrives
    /// after everything the dead actor sent before dying. A bounded one keeps it aside, read before the user queue:
    /// it must neither block nor be dropped, at the price of that ordering.
    /// </summary>
    public void PostInternal(object message, IActorRef? sender)
    {
        var envelope = new Envelope(message, sender);
        if (_user is not UnboundedMessageQueue || !_user.TryEnqueue(envelope)) _internal.Enqueue(envelope);
        Schedule();
    }

    public void PostSystem(SystemMessage message)
    {
        _system.Enqueue(message);
        Schedule();
    }

    public bool TryDequeueSystem(out SystemMessage message) => _system.TryDequeue(out message!);

    /// <summary>Next user message: unstashed ones first, then runtime-generated ones, then the queue.</summary>
    public bool TryDequeueUser(out Envelope envelope)
    {
        if (_unstashed.Count > 0)
        {
            envelope = _unstashed.Pop();
            return true;
        }
        return _internal.TryDequeue(out envelope) || _user.TryDequeue(out envelope);
    }

    /// <summary>Puts messages back at the front of the mailbox, keeping their order. Running turn only.</summary>
    public void Unstash(IReadOnlyList<Envelope> inOrder)
    {
        for (var i = inOrder.Count - 1; i >= 0; i--) _unstashed.Push(inOrder[i]);
    }

    /// <summary>Called by the running turn when the actor has terminated: refuse further messages and send what is
    /// left to dead letters. Late writers that slip in afterwards are drained by <see cref="Schedule"/>.</summary>
    public void Close()
    {
        Interlocked.Or(ref _status, ClosedBit);
        _user.Close();
        while (_unstashed.Count > 0) _owner.DeadLetter(_unstashed.Pop());
        DrainClosed();
    }

    private void DrainClosed()
    {
        while (_internal.TryDequeue(out var envelope) || _user.TryDequeue(out envelope)) _owner.DeadLetter(envelope);
        while (_system.TryDequeue(out var message)) _owner.SystemMessageAfterDeath(message);
    }

    public void Schedule()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if ((status & ClosedBit) != 0)
            {
                DrainClosed();
                return;
            }
            if ((status & ScheduledBit) != 0) return;
            if (Interlocked.CompareExchange(ref _status, status | ScheduledBit, status) == status)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        Turns++;
        Run();
    }

    /// <summary>Runs one turn. Also the re-entry point after an awaited handler completes (the mailbox stayed
    /// scheduled meanwhile, so nothing else ran).</summary>
    public void Run()
    {
        if (!_owner.RunTurn()) return; // an async handler holds the mailbox; it calls Run again when done
        var unstashedPending = _unstashed.Count > 0 && _owner.CanProcessUserMessages;
        // Clear the scheduled bit first, then look again: a writer that saw the bit set relied on us to do so.
        var status = Interlocked.And(ref _status, ~ScheduledBit);
        if ((status & ClosedBit) != 0)
        {
            DrainClosed();
            return;
        }
        if (unstashedPending || !_system.IsEmpty ||
            (_owner.CanProcessUserMessages && (!_internal.IsEmpty || _user.HasMessages)))
            Schedule();
    }
}

/// <summary>What the mailbox needs from the cell that owns it.</summary>
internal interface IMailboxOwner
{
    bool CanProcessUserMessages { get; }

    /// <summary>Processes system messages and up to <c>throughput</c> user messages. Returns false when an awaited
    /// handler is still running: the mailbox stays held and the owner resumes it with <see cref="Mailbox.Run"/>.</summary>
    bool RunTurn();

    void DeadLetter(in Envelope envelope);

    void SystemMessageAfterDeath(SystemMessage message);
}
