using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>
/// The actor's view of its cell, valid only while it handles a message (including across the awaits of a
/// ReceiveAsync handler, which holds the mailbox) and in its constructor and lifecycle hooks.
/// </summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>Sender of the message being handled; dead letters when there was none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    Props Props { get; }

    /// <summary>Logger named after the actor type; Warning and above are also published on the event stream.</summary>
    ILogger Log { get; }

    /// <summary>Creates a child. A null name gets a generated one ("$a", "$b", ...).</summary>
    /// <exception cref="InvalidActorNameException">the name is invalid or a sibling already has it.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    IReadOnlyList<IActorRef> GetChildren();

    IActorRef? Child(string name);

    /// <summary>Stops a child or this actor (asynchronously; a system message).</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops. Returns the subject.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Like <see cref="Watch"/>, delivering <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a Terminated already queued but not yet handled is discarded.</summary>
    IActorRef Unwatch(IActorRef subject);
}
