using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

/// <summary>Base of every ref the runtime hands out: knows its system and accepts system messages.</summary>
internal abstract class InternalActorRef : IActorRef
{
    public abstract ActorPath Path { get; }

    public abstract ActorSystem System { get; }

    public abstract void Tell(object message, IActorRef? sender);

    public virtual ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        Tell(message, sender);
        return default;
    }

    public virtual MailboxStats MailboxStats => MailboxStats.None;

    /// <summary>Refs without a cell behave like an actor that is already dead: a watch is answered at once.</summary>
    public virtual void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && watch.Watcher is InternalActorRef watcher && !ReferenceEquals(watcher, this))
            watcher.SendSystemMessage(new DeathWatchNotification(this));
    }

    public override string ToString() => $"[{Path}#{Path.Uid}]";
}
