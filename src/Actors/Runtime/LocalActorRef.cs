using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

/// <summary>The ref of an actor that lives in a cell of this process.</summary>
internal sealed class LocalActorRef(ActorCell cell) : InternalActorRef
{
    internal ActorCell Cell { get; } = cell;

    public override ActorPath Path => Cell.Path;

    public override ActorSystem System => Cell.System;

    public override MailboxStats MailboxStats => Cell.Mailbox.Stats;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(message, sender);
    }

    public override ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Cell.Mailbox.PostAsync(message, sender, cancellationToken);
    }

    public override void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);
}
