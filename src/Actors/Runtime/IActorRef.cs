namespace Ingrain.Actors;

/// <summary>
/// A handle to an actor. Safe to share and to use from any thread. Refs compare by identity: a restarted actor
/// keeps its ref; an actor created again under the same name gets a new one.
/// </summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>
    /// Sends one-way. The sender is explicit (pass <c>Self</c> inside an actor, or null for "no sender": replies
    /// then go to dead letters). On a full <see cref="Dispatch.OverflowPolicy.Backpressure"/> mailbox this blocks
    /// the calling thread; producers that may wait should use <see cref="TellAsync"/>.
    /// </summary>
    void Tell(object message, IActorRef? sender);

    /// <summary>Like <see cref="Tell"/>, but awaits space in a full backpressure mailbox instead of blocking.
    /// Completes synchronously for every other mailbox.</summary>
    ValueTask TellAsync(object message, IActorRef? sender, CancellationToken cancellationToken = default);
}
