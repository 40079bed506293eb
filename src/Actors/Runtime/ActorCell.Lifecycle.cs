using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

internal sealed partial class ActorCell
{
    private readonly TaskCompletionSource _terminatedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _terminating;
    private bool _terminated;

    /// <summary>Completes when the actor has stopped for good (after PostStop and the notifications).</summary>
    public Task WhenTerminated => _terminatedTcs.Task;

    public bool IsTerminated => _terminated;

    private void CreateActor()
    {
        try
        {
            _actor = NewActor();
            _actor.AroundPreStart();
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException(SelfRef,
                $"Exception during creation of {Path} ({ex.GetType().Name}: {ex.Message})", ex), null);
        }
    }

    public void Stop(IActorRef actor)
    {
        if (actor is not InternalActorRef target) return;
        if (!ReferenceEquals(target, SelfRef)) MarkChildTerminating(target);
        target.SendSystemMessage(Terminate.Instance);
    }

    /// <summary>
    /// Stop, step 1: stop timers, stop watching, stop the children. PostStop waits until every child has
    /// terminated (<see cref="HandleChildTerminated"/> calls <see cref="TryFinishTerminate"/>).
    /// </summary>
    private void BeginTerminate()
    {
        if (_terminating) return;
        _terminating = true;
        _timers?.CancelAll();
        UnwatchAll();
        foreach (var child in ChildrenSnapshot())
        {
            child.Terminating = true;
            child.Child.AsInternal().SendSystemMessage(Terminate.Instance);
        }
        TryFinishTerminate();
    }

    private void TryFinishTerminate()
    {
        lock (_childrenLock)
        {
            if (_children.Count > 0) return;
            _childrenClosed = true; // from here on ActorOf refuses: no child can outlive us
        }
        FinishTerminate();
    }

    /// <summary>
    /// Stop, step 2. The following order is what watchers and parents rely on: PostStop runs before anyone hears
    /// of the death; the mailbox closes before the notifications, so a Terminated receiver that replies into our
    /// mailbox gets a dead letter rather than a message nobody will read.
    /// </summary>
    private void FinishTerminate()
    {
        var actor = _actor;
        _actor = null;
        if (actor is not null)
        {
            try
            {
                actor.AroundPostStop();
            }
            catch (Exception ex)
            {
                System.Log.Error(Path, ex, "PostStop failed");
            }
            DisposeInstance(actor);
        }
        _terminated = true;
        _stash?.DrainToDeadLetters();
        Mailbox.Close();

        _parent?.SendSystemMessage(new DeathWatchNotification(SelfRef));
        foreach (var watcher in _watchedBy)
            if (!ReferenceEquals(watcher, _parent)) watcher.SendSystemMessage(new DeathWatchNotification(SelfRef));
        _watchedBy.Clear();
        _terminatedTcs.TrySetResult();
    }

    private void DisposeInstance(ActorBase actor)
    {
        if (actor is not IDisposable disposable) return;
        try
        {
            disposable.Dispose();
        }
        catch (Exception ex)
        {
            System.Log.Error(Path, ex, "Dispose of the actor instance failed");
        }
    }

    /// <summary>A system message reached a cell that is already dead: answer watches, ignore the rest.</summary>
    public void SystemMessageAfterDeath(SystemMessage message)
    {
        if (message is Watch { Watcher: InternalActorRef watcher } && !ReferenceEquals(watcher, SelfRef))
            watcher.SendSystemMessage(new DeathWatchNotification(SelfRef));
    }
}
