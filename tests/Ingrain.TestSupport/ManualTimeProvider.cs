namespace Ingrain.TestSupport;

/// <summary>
/// Virtual time for tests: nothing moves until <see cref="Advance"/>. Timers due within the advanced span fire in
/// due order, on the calling thread, each seeing the clock at its own due time; a timer created already due fires
/// at once. For code that takes a <see cref="TimeProvider"/> (rate-limited logs, backoff delays); actors use Akka's
/// TestScheduler.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _utcNow;
    private long _elapsedTicks;

    public ManualTimeProvider(DateTimeOffset? start = null) =>
        _utcNow = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _utcNow;
    }

    public override long GetTimestamp()
    {
        lock (_lock) return _elapsedTicks;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Total virtual time advanced so far.</summary>
    public TimeSpan Elapsed
    {
        get { lock (_lock) return TimeSpan.FromTicks(_elapsedTicks); }
    }

    /// <summary>Timers that are waiting to fire (not disposed, not finished).</summary>
    public int PendingTimers
    {
        get { lock (_lock) return _timers.Count; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "Time only moves forward.");
        long target;
        lock (_lock) target = _elapsedTicks + by.Ticks;
        FireDue(target);
        lock (_lock)
        {
            _utcNow += TimeSpan.FromTicks(target - _elapsedTicks);
            _elapsedTicks = target;
        }
    }

    private void FireDue(long upTo)
    {
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueTicks <= upTo).MinBy(t => t.DueTicks);
                if (next is null) return;
                if (next.DueTicks > _elapsedTicks)
                {
                    _utcNow += TimeSpan.FromTicks(next.DueTicks - _elapsedTicks);
                    _elapsedTicks = next.DueTicks;
                }
                if (next.PeriodTicks > 0) next.DueTicks += next.PeriodTicks;
                else _timers.Remove(next);
            }
            next.Fire();
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        long now;
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            now = _elapsedTicks;
            timer.DueTicks = now + Math.Max(0, dueTime.Ticks);
            timer.PeriodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
            _timers.Add(timer);
        }
        if (dueTime <= TimeSpan.Zero) FireDue(now);
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks;
        public long PeriodTicks;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
