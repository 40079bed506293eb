namespace Ingrain.Actors;

public static class ActorRefs
{
    /// <summary>"No sender" for <see cref="IActorRef.Tell"/>: replies to it go to dead letters.</summary>
    public static readonly IActorRef? NoSender = null;
}
