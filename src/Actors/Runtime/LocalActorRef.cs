using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

/// <summary>The ref of an actor that lives in a cell of this process.</summary>
internal sealed class LocalActorRef(ActorCell cell, Mailbox mailbox) : InternalActorRef
{
    // Senders touch only this object and the mailbox, never the cell: the cell's fields are written for every
    // message by the actor's thread, and sharing their cache line with every Tell would slow both sides down.
    private readonly Mailbox _mailbox = mailbox;

    internal ActorCell Cell { get; } = cell;

    public override ActorPath Path => Cell.Path;

    public override ActorSystem System => Cell.System;

    public override MailboxStats MailboxStats => _mailbox.Stats;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        _mailbox.Post(message, sender);
    }

    public override ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _mailbox.PostAsync(message, sender, cancellationToken);
    }

    public override void SendSystemMessage(SystemMessage message) => _mailbox.PostSystem(message);
}
