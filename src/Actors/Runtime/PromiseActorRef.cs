namespace Ingrain.Actors;

/// <summary>The temporary sender of an Ask: completes with the first message it receives; later ones, and replies
/// after the timeout, go to dead letters.</summary>
internal sealed class PromiseActorRef(ActorSystem system, ActorPath target) : InternalActorRef
{
    private readonly TaskCompletionSource<object> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ActorPath Path { get; } = ActorPath.Root(system.Name).Child("temp", 0).Child($"ask-{target.Name}", system.NextUid());

    public override ActorSystem System { get; } = system;

    public Task<object> Task => _promise.Task;

    public override void Tell(object message, IActorRef? sender)
    {
        if (!_promise.TrySetResult(message)) System.DeadLettersRef.Publish(message, sender, this);
    }

    public void Expire() => _promise.TrySetCanceled();
}
