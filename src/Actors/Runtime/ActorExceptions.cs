namespace Ingrain.Actors;

/// <summary>Base of the runtime's own exceptions.</summary>
public class ActorException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The constructor or PreStart threw (or PostRestart, see <see cref="PostRestartException"/>). The default
/// decider stops the actor: an actor that cannot start is not restarted in a loop. Wrap it in a
/// BackoffSupervisor to retry with delays.</summary>
public class ActorInitializationException(IActorRef? actor, string message, Exception? inner = null)
    : ActorException(message, inner)
{
    public IActorRef? Actor { get; } = actor;
}

/// <summary>PostRestart (by default PreStart) threw on the new instance during a restart.</summary>
public sealed class PostRestartException(IActorRef actor, Exception restartCause, Exception inner)
    : ActorInitializationException(actor, $"Exception post restart of {actor.Path} ({inner.GetType().Name})", inner)
{
    public Exception RestartCause { get; } = restartCause;
}

/// <summary>PreRestart threw on the old instance. It is logged and the restart goes on (best effort).</summary>
public sealed class PreRestartException(IActorRef actor, Exception restartCause, Exception inner)
    : ActorException($"Exception in PreRestart of {actor.Path} ({inner.GetType().Name})", inner)
{
    public IActorRef Actor { get; } = actor;

    public Exception RestartCause { get; } = restartCause;
}

/// <summary>Thrown by an actor that received <see cref="Kill"/>. The default decider stops it.</summary>
public sealed class ActorKilledException(string message) : ActorException(message);

/// <summary>An actor received <see cref="Terminated"/> for an actor it watched and did not handle it. The default
/// decider stops the watcher. Handle Terminated (or Unwatch) if the watcher should survive.</summary>
public sealed class DeathPactException(IActorRef deadActor)
    : ActorException($"Monitored actor {deadActor.Path} terminated and the Terminated message was not handled")
{
    public IActorRef DeadActor { get; } = deadActor;
}

/// <summary>The actor name is empty, reserved (starts with '$'), contains '/', or is taken by a sibling.</summary>
public sealed class InvalidActorNameException(string message) : ActorException(message);

/// <summary>No reply arrived within the Ask timeout.</summary>
public sealed class AskTimeoutException(string message) : ActorException(message);

/// <summary>A call was made where the runtime forbids it, e.g. registering a handler outside the constructor or
/// Become, or stashing the same message twice.</summary>
public sealed class IllegalActorStateException(string message) : ActorException(message);

/// <summary>The stash reached the capacity set with <see cref="Props.WithStashCapacity"/>.</summary>
public sealed class StashOverflowException(string message) : ActorException(message);
