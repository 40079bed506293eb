using Ingrain.Actors.Scheduling;
using Ingrain.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>
/// Base of every actor. Override <see cref="Receive"/> (or use <see cref="ReceiveActor"/>). Lifecycle, as in Akka:
/// constructor → <see cref="PreStart"/> → messages → <see cref="PostStop"/>. On restart the old instance gets
/// <see cref="PreRestart"/> (default: stop the children, then PostStop) and a new instance is built from the same
/// Props and gets <see cref="PostRestart"/> (default: PreStart). The message that failed is not processed again.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.Constructing ?? throw new IllegalActorStateException(
            $"{GetType().Name} must be created by the runtime: use ActorOf(Props.Create(() => new {GetType().Name}(...))).");
    }

    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.Self;

    protected IActorRef Sender => _cell.Sender;

    protected ILogger Log => _cell.Log;

    /// <summary>Per-actor timers whose messages arrive as ordinary messages; all are cancelled on stop and restart.</summary>
    protected ITimerScheduler Timers => _cell.Timers;

    /// <summary>Stash of this actor; <see cref="IStash.UnstashAll"/> puts messages back at the front of the mailbox.</summary>
    protected IStash Stash => _cell.Stash;

    /// <summary>Handles a message; returns false when it was not handled (then <see cref="Unhandled"/> runs).</summary>
    protected abstract bool Receive(object message);

    /// <summary>Runs an async action while holding the mailbox: no other user message is processed until the
    /// task completes. A faulted task fails the actor as a throwing handler would.</summary>
    protected void RunTask(Func<Task> action) => _cell.HoldMailboxUntil(action());

    protected virtual void PreStart() { }

    protected virtual void PostStop() { }

    /// <summary>On the old instance before a restart. The default unwatches and stops all children, then calls
    /// PostStop. <paramref name="message"/> is the message that failed (null if the failure was not in a
    /// handler); it will not be redelivered — re-send it to Self here if a retry is wanted.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>On the new instance after a restart. The default calls PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>An unhandled <see cref="Terminated"/> throws <see cref="DeathPactException"/>; any other unhandled
    /// message is published as <see cref="UnhandledMessage"/> on the event stream.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        _cell.PublishUnhandled(message);
    }

    /// <summary>The strategy for this actor's children, used when Props does not set one.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Supervision.SupervisorStrategy.DefaultStrategy;

    internal void HoldMailboxUntil(Task task) => _cell.HoldMailboxUntil(task);

    // The cell calls the hooks through these, so subclasses override plain `protected` members everywhere.
    internal void AroundPreStart() => PreStart();

    internal void AroundPostStop() => PostStop();

    internal void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy AroundSupervisorStrategy() => SupervisorStrategy();

    internal void AroundReceive(object message)
    {
        if (!Receive(message)) Unhandled(message);
    }

    /// <summary>Called once the constructor has returned, before PreStart.</summary>
    internal virtual void AfterConstruction() { }

    /// <summary>Hook for the guardians, which react to their children stopping.</summary>
    internal virtual void ChildTerminated(IActorRef child) { }
}
