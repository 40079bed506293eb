namespace Ingrain.Actors.Scheduling;

/// <summary>
/// Delayed and periodic Tell, driven by the system's <see cref="TimeProvider"/> (so tests can use virtual time).
/// Every pending delivery is cancelled when the system terminates. Inside an actor prefer
/// <see cref="ITimerScheduler"/>, whose timers die with the actor and are cancelled on restart.
/// </summary>
public interface IScheduler
{
    TimeProvider TimeProvider { get; }

    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message,
        IActorRef? sender);
}
