namespace Ingrain.Actors;

/// <summary>Stops the actor when dequeued: everything queued before it is processed first (a user message).</summary>
public sealed class PoisonPill
{
    public static readonly PoisonPill Instance = new();

    private PoisonPill() { }

    public override string ToString() => nameof(PoisonPill);
}

/// <summary>Makes the actor throw <see cref="ActorKilledException"/> when dequeued; its supervisor decides
/// (the default decider stops it).</summary>
public sealed class Kill
{
    public static readonly Kill Instance = new();

    private Kill() { }

    public override string ToString() => nameof(Kill);
}

/// <summary>Delivered once to each watcher when a watched actor has stopped (never on restart).</summary>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>Replies that carry success or failure; <c>Ask</c> turns a <see cref="Failure"/> into an exception.</summary>
public static class Status
{
    public sealed record Success(object? Value);

    public sealed record Failure(Exception Cause);
}

/// <summary>Published on the event stream when an actor did not handle a message (other than Terminated).</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>Published on the event stream for every message that could not be delivered.</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);
