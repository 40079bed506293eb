namespace Ingrain.Actors;

/// <summary>
/// Where messages go that cannot be delivered: to stopped actors, to "no sender", or left in a mailbox at stop.
/// Each one is published on the event stream as <see cref="DeadLetter"/> and logged at Debug.
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : InternalActorRef
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override void Tell(object message, IActorRef? sender) => Publish(message, sender, this);

    /// <summary>Records a message that was meant for <paramref name="recipient"/>.</summary>
    public void Publish(object message, IActorRef? sender, IActorRef recipient)
    {
        // A DeadLetter that itself cannot be delivered (its subscriber died) is dropped here: republishing it
        // would loop forever.
        if (message is DeadLetter) return;
        System.Log.DeadLetter(message, sender, recipient);
        System.EventStream.Publish(new DeadLetter(message, sender ?? this, recipient));
    }
}
