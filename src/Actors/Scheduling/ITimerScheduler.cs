namespace Ingrain.Actors.Scheduling;

/// <summary>
/// Per-actor timers (Akka's <c>IWithTimers</c>). A timer's message arrives as an ordinary message with no sender.
/// Starting a timer with a key in use replaces it, and a message from the replaced or cancelled timer that was
/// already queued is discarded. All timers are cancelled when the actor stops or restarts.
/// </summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan delay);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();
}
