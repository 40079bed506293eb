using System.Collections.Concurrent;

namespace Ingrain.Actors.Scheduling;

/// <summary><see cref="IScheduler"/> on <see cref="System.TimeProvider.CreateTimer"/>.</summary>
internal sealed class Scheduler(TimeProvider timeProvider) : IScheduler
{
    private readonly ConcurrentDictionary<ScheduledTell, byte> _pending = new();
    private volatile bool _shutDown;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, receiver, message, sender);

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message,
        IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A repeating interval must be > 0.");
        return Schedule(initialDelay, interval, receiver, message, sender);
    }

    private ScheduledTell Schedule(TimeSpan delay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var scheduled = new ScheduledTell(this, receiver, message, sender, repeating: interval != Timeout.InfiniteTimeSpan);
        _pending[scheduled] = 0;
        if (_shutDown)
        {
            scheduled.Cancel();
            return scheduled;
        }
        scheduled.Start(TimeProvider, delay, interval);
        return scheduled;
    }

    /// <summary>Cancels everything still pending; later schedules are cancelled at once.</summary>
    public void Shutdown()
    {
        _shutDown = true;
        foreach (var scheduled in _pending.Keys) scheduled.Cancel();
    }

    private void Forget(ScheduledTell scheduled) => _pending.TryRemove(scheduled, out _);

    private sealed class ScheduledTell(Scheduler owner, IActorRef receiver, object message, IActorRef? sender, bool repeating)
        : ICancelable
    {
        private ITimer? _timer;
        private volatile bool _cancelled;

        public bool IsCancellationRequested => _cancelled;

        public void Start(TimeProvider time, TimeSpan delay, TimeSpan interval)
        {
            _timer = time.CreateTimer(static state => ((ScheduledTell)state!).Fire(), this, delay, interval);
            if (_cancelled) _timer.Dispose(); // cancelled while starting
        }

        private void Fire()
        {
            if (_cancelled) return;
            if (!repeating) Cancel();
            receiver.Tell(message, sender);
        }

        public void Cancel()
        {
            _cancelled = true;
            _timer?.Dispose();
            owner.Forget(this);
        }
    }
}
