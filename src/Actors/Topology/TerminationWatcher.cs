namespace Ingrain.Actors.Topology;

/// <summary>Completes a task when an actor has stopped (DeathWatch from outside the actor world), then stops itself.</summary>
internal sealed class TerminationWatcher : ReceiveActor
{
    public TerminationWatcher(IActorRef target, TaskCompletionSource stopped)
    {
        Context.Watch(target);
        Receive<Terminated>(_ =>
        {
            stopped.TrySetResult();
            Context.Stop(Self);
        });
    }

    /// <summary>Stops <paramref name="target"/> and completes when it has stopped (its PostStop has run).</summary>
    public static Task StopAsync(ActorSystem system, IActorRef target)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.SystemActorOf(Props.Create(() => new TerminationWatcher(target, stopped)));
        system.Stop(target);
        return stopped.Task;
    }
}
