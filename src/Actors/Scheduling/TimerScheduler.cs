namespace Ingrain.Actors.Scheduling;

/// <summary>
/// Timers of one actor. Used only from the actor's own turn; the timer callbacks merely post a
/// <see cref="Tick"/> to the actor's mailbox, which the cell checks against the current generation of the key.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, Timer> _timers = [];
    private int _generation;

    /// <summary>Posted by a firing timer. Allocated once per timer start, reused by every tick of a periodic timer.</summary>
    internal sealed record Tick(object Key, int Generation);

    public void StartSingleTimer(object key, object message, TimeSpan delay) =>
        Start(key, message, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) =>
        StartPeriodicTimer(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A periodic timer needs an interval > 0.");
        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var timer)) timer.Handle.Dispose();
    }

    public void CancelAll()
    {
        foreach (var timer in _timers.Values) timer.Handle.Dispose();
        _timers.Clear();
    }

    /// <summary>The message of a tick that is still current; single timers are forgotten once delivered.</summary>
    internal bool TryTake(Tick tick, out object message)
    {
        if (_timers.TryGetValue(tick.Key, out var timer) && timer.Tick.Generation == tick.Generation)
        {
            if (!timer.Periodic) _timers.Remove(tick.Key);
            message = timer.Message;
            return true;
        }
        message = null!;
        return false;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var tick = new Tick(key, ++_generation);
        var self = cell.Mailbox;
        var handle = cell.System.TimeProvider.CreateTimer(
            static state =>
            {
                var (mailbox, t) = ((Dispatch.Mailbox, Tick))state!;
                mailbox.PostInternal(t, null);
            },
            (self, tick), delay < TimeSpan.Zero ? TimeSpan.Zero : delay, interval);
        _timers[key] = new Timer(tick, message, interval != Timeout.InfiniteTimeSpan, handle);
    }

    private sealed record Timer(Tick Tick, object Message, bool Periodic, ITimer Handle);
}
