using Ingrain.Actors;

namespace Ingrain.TestKit;

/// <summary>An extra test actor with the full Expect API: use several to observe several parties.</summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, string? name) : base(system, name) { }

    /// <summary>The probe's actor; pass it where an IActorRef is expected.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>Sends with the probe as sender.</summary>
    public void Send(IActorRef actor, object message) => actor.Tell(message, Ref);

    /// <summary>Sends the last received message on, keeping its original sender.</summary>
    public void Forward(IActorRef actor) =>
        actor.Tell(LastMessage ?? throw Fail("nothing received yet to forward"), LastSender);

    /// <summary>Answers the sender of the last received message, with the probe as sender.</summary>
    public void Reply(object message) =>
        (LastSender ?? throw Fail("nothing received yet to reply to")).Tell(message, Ref);

    public override string ToString() => $"TestProbe({Ref.Path})";
}
