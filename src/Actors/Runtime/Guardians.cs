using Ingrain.Actors.Supervision;

namespace Ingrain.Actors;

/// <summary>"/": parent of /user and /system. When /user stops (e.g. after an escalation), the system stops.</summary>
internal sealed class RootGuardian : ActorBase
{
    protected override bool Receive(object message) => false;

    protected override SupervisorStrategy SupervisorStrategy() => Supervision.SupervisorStrategy.StoppingStrategy;

    internal override void ChildTerminated(IActorRef child)
    {
        if (child.Path.Name == "user") Context.Stop(Self);
    }
}

/// <summary>"/user" and "/system": parents of the actors created with <c>system.ActorOf</c>.</summary>
internal sealed class Guardian : ActorBase
{
    protected override bool Receive(object message) => false;
}
