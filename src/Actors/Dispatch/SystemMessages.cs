namespace Ingrain.Actors.Dispatch;

// System messages travel on their own queue and are processed before any user message (see Mailbox).
// They carry lifecycle and supervision between cells; failures never cross actors as thrown exceptions.

internal abstract class SystemMessage;

/// <summary>Construct the actor and run PreStart.</summary>
internal sealed class Create : SystemMessage
{
    public static readonly Create Instance = new();
}

/// <summary>Restart (from the supervisor): PreRestart on the old instance, a new instance, PostRestart.</summary>
internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Suspend : SystemMessage
{
    public static readonly Suspend Instance = new();
}

/// <summary>Resume user messages; <see cref="CausedByFailure"/> is set when this answers the actor's own failure.</summary>
internal sealed class Resume(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

/// <summary>Stop: children first, then PostStop, then notify parent and watchers.</summary>
internal sealed class Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();
}

internal sealed class Watch(IActorRef watchee, IActorRef watcher) : SystemMessage
{
    public IActorRef Watchee { get; } = watchee;
    public IActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IActorRef watchee, IActorRef watcher) : SystemMessage
{
    public IActorRef Watchee { get; } = watchee;
    public IActorRef Watcher { get; } = watcher;
}

/// <summary>A child failed; its supervisor decides. The child stays suspended until then.</summary>
internal sealed class Failed(IActorRef child, Exception cause) : SystemMessage
{
    public IActorRef Child { get; } = child;
    public Exception Cause { get; } = cause;
}

/// <summary>Sent to the parent and to every watcher when an actor has fully terminated.</summary>
internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}
