using Ingrain.Actors.Dispatch;
using Ingrain.Actors.Supervision;

namespace Ingrain.Actors;

internal sealed partial class ActorCell : ISupervisorContext
{
    private bool _isFailed;
    private object? _failedMessage;
    private IActorRef? _perpetrator; // the child whose failure we escalated
    private Exception? _recreateCause; // set while a restart waits for the children PreRestart stopped

    /// <summary>
    /// This actor failed: suspend it and its children, and ask the parent what to do. Failures travel as the
    /// <see cref="Failed"/> system message, never as exceptions across actors.
    /// </summary>
    /// <param name="perpetrator">the child whose escalated failure this is: it is already suspended, so it is not
    /// suspended again, and a Resume decided above us resumes it as the one that failed (as Akka does).</param>
    internal void HandleInvokeFailure(Exception cause, object? message, IActorRef? perpetrator = null)
    {
        if (_terminating)
        {
            System.Log.Error(Path, cause, "Failure while stopping; the actor stops anyway");
            return;
        }
        if (_isFailed) return; // the first failure is already with the supervisor, which decides for both
        _isFailed = true;
        _failedMessage = message;
        _perpetrator = perpetrator;
        _suspendCount++;
        foreach (var child in ChildrenSnapshot())
            if (!ReferenceEquals(child.Child, perpetrator)) child.Child.AsInternal().SendSystemMessage(Suspend.Instance);
        if (_parent is null)
        {
            System.Log.Error(Path, cause, "The root guardian failed; stopping the actor system");
            BeginTerminate();
            return;
        }
        _parent.SendSystemMessage(new Failed(SelfRef, cause));
    }

    private void HandleFailed(Failed failed)
    {
        var stats = FindChild(failed.Child);
        // Stale: an earlier incarnation under the same name, or a child we are stopping anyway.
        if (stats is null || stats.Terminating || _terminating) return;
        if (!SupervisorStrategy.HandleFailure(this, stats, failed.Cause, ChildrenSnapshot()))
        {
            // Escalate: fail with the child's exception, unwrapped; our own supervisor applies its decider to it.
            HandleInvokeFailure(failed.Cause, null, failed.Child);
        }
    }

    private void FaultSuspend()
    {
        _suspendCount++;
        foreach (var child in ChildrenSnapshot()) child.Child.AsInternal().SendSystemMessage(Suspend.Instance);
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_terminating) return;
        if (_actor is null)
        {
            // The failure happened in the constructor: there is no instance to resume, so create one (as Akka does).
            ClearFailure();
            CreateActor();
            return;
        }
        var perpetrator = _perpetrator;
        if (causedByFailure is not null) ClearFailure();
        else _suspendCount = Math.Max(0, _suspendCount - 1);
        foreach (var child in ChildrenSnapshot())
        {
            if (child.Terminating) continue;
            var fromFailure = ReferenceEquals(child.Child, perpetrator) ? causedByFailure : null;
            child.Child.AsInternal().SendSystemMessage(new Resume(fromFailure));
        }
    }

    /// <summary>
    /// Restart, steps 1–3 (Akka's order): cancel timers, put stashed messages back at the front of the mailbox,
    /// PreRestart on the old instance (default: stop children, PostStop), then wait until the children it
    /// stopped have terminated. The mailbox is kept, so messages queued meanwhile go to the new instance.
    /// </summary>
    private void FaultRecreate(Exception cause)
    {
        if (_terminating) return;
        var failed = _actor;
        if (failed is null)
        {
            ClearFailure();
            CreateActor(); // nothing to tear down: the constructor had failed
            return;
        }
        var message = _failedMessage;
        _timers?.CancelAll();
        _stash?.UnstashAll();
        try
        {
            failed.AroundPreRestart(cause, message);
        }
        catch (Exception ex)
        {
            // Best effort, as in Akka: the restart goes on.
            System.Log.Error(Path, new PreRestartException(SelfRef, cause, ex), "PreRestart failed; restarting anyway");
        }
        DisposeInstance(failed);
        _actor = null;
        _strategy = null;
        if (AnyChildTerminating())
        {
            _recreateCause = cause;
            return;
        }
        FinishRecreate(cause);
    }

    /// <summary>Restart, steps 4–7: new instance from the same Props, PostRestart (default: PreStart), restart the
    /// children PreRestart left alive, resume. A throwing PostRestart fails again as a PostRestartException.</summary>
    private void FinishRecreate(Exception cause)
    {
        var survivors = ChildrenSnapshot().Where(c => !c.Terminating).ToArray();
        ClearFailure();
        try
        {
            _actor = NewActor();
            _actor.AroundPostRestart(cause);
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new PostRestartException(SelfRef, cause, ex), null);
            return;
        }
        foreach (var child in survivors) child.Child.AsInternal().SendSystemMessage(new Recreate(cause));
    }

    private void ClearFailure()
    {
        _isFailed = false;
        _failedMessage = null;
        _perpetrator = null;
        _suspendCount = Math.Max(0, _suspendCount - 1);
    }

    TimeSpan ISupervisorContext.Now => System.Uptime;

    void ISupervisorContext.ResumeChild(IActorRef child, Exception cause) =>
        child.AsInternal().SendSystemMessage(new Resume(cause));

    void ISupervisorContext.RestartChild(IActorRef child, Exception cause, bool suspendFirst)
    {
        var target = child.AsInternal();
        if (suspendFirst) target.SendSystemMessage(Suspend.Instance);
        target.SendSystemMessage(new Recreate(cause));
    }

    void ISupervisorContext.RestartChildAfter(IActorRef child, Exception cause, TimeSpan delay)
    {
        var target = child.AsInternal();
        // A Recreate reaching a child that was stopped in the meantime is ignored by FaultRecreate.
        _ = Task.Delay(delay, System.TimeProvider).ContinueWith(_ => target.SendSystemMessage(new Recreate(cause)), TaskScheduler.Default);
    }

    void ISupervisorContext.StopChild(IActorRef child) => Stop(child);

    void ISupervisorContext.LogFailure(IActorRef child, Exception cause, Directive directive) =>
        System.Log.Failure(child.Path, cause, directive);
}

internal static class ActorRefInternals
{
    public static InternalActorRef AsInternal(this IActorRef actor) => actor as InternalActorRef
        ?? throw new ArgumentException($"{actor} was not created by this runtime.", nameof(actor));
}
