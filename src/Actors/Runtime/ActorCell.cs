using Ingrain.Actors.Dispatch;
using Ingrain.Actors.Scheduling;
using Ingrain.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>
/// The runtime half of an actor: its mailbox, children, watchers, timers, stash and the current instance.
/// Every field below is touched only by the mailbox's running turn (one thread at a time), except the children
/// map, which <c>ActorOf</c> may change from outside and is guarded by <see cref="_childrenLock"/>.
/// Split by concern: .Lifecycle (create/stop), .FaultHandling (failure, restart), .Children, .DeathWatch.
/// </summary>
internal sealed partial class ActorCell : IActorContext, IMailboxOwner
{
    [ThreadStatic] private static ActorCell? t_constructing;

    private readonly LocalActorRef? _parent;
    private readonly int _throughput;
    private ActorBase? _actor;
    private Envelope _current;
    private Task? _heldBy;
    private ILogger? _log;
    private TimerScheduler? _timers;
    private StashBuffer? _stash;
    private SupervisorStrategy? _strategy;
    private int _suspendCount;

    public ActorCell(ActorSystem system, Props props, LocalActorRef? parent, ActorPath path)
    {
        System = system;
        Props = props;
        _parent = parent;
        Path = path;
        _throughput = props.Throughput ?? system.Settings.Throughput;
        Mailbox = new Mailbox(props.Mailbox);
        SelfRef = new LocalActorRef(this, Mailbox);
        Mailbox.Attach(this);
    }

    /// <summary>The cell whose actor is being constructed on this thread; ActorBase binds to it.</summary>
    internal static ActorCell? Constructing => t_constructing;

    public ActorSystem System { get; }

    public Props Props { get; }

    public ActorPath Path { get; }

    public Mailbox Mailbox { get; }

    public LocalActorRef SelfRef { get; }

    public IActorRef Self => SelfRef;

    public IActorRef Sender => _current.Sender ?? System.DeadLetters;

    public IActorRef Parent => (IActorRef?)_parent ?? SelfRef;

    public ILogger Log => _log ??= new ActorLogger(System, Path, System.LoggerFactory.CreateLogger(Props.ActorType));

    public ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    public IStash Stash => _stash ??= new StashBuffer(this, Props.StashCapacity);

    internal Envelope CurrentEnvelope => _current;

    /// <summary>Counts handled messages; tells apart two deliveries of the same message object.</summary>
    internal long InvocationNumber { get; private set; }

    /// <summary>Props first, then the instance's override (asked once per incarnation).</summary>
    internal SupervisorStrategy SupervisorStrategy => Props.SupervisorStrategy
        ?? (_actor is null ? SupervisorStrategy.DefaultStrategy : _strategy ??= _actor.AroundSupervisorStrategy());

    public bool CanProcessUserMessages => _suspendCount == 0 && !_terminating && _actor is not null;

    public void Start() => SelfRef.SendSystemMessage(Create.Instance);

    public bool RunTurn()
    {
        ProcessAllSystemMessages();
        for (var left = _throughput; left > 0 && CanProcessUserMessages; left--)
        {
            if (!Mailbox.TryDequeueUser(out var envelope)) break;
            Invoke(envelope);
            if (_heldBy is { } task)
            {
                if (!task.IsCompleted)
                {
                    task.ContinueWith(static (t, state) => ((ActorCell)state!).OnHeldTaskCompleted(t), this,
                        CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default);
                    return false;
                }
                CompleteHeldTask(task);
            }
            _current = default;
            ProcessAllSystemMessages();
        }
        return true;
    }

    internal void HoldMailboxUntil(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_heldBy is not null)
            throw new IllegalActorStateException("Only one async handler may hold the mailbox per message.");
        _heldBy = task;
    }

    private void OnHeldTaskCompleted(Task task)
    {
        CompleteHeldTask(task);
        _current = default;
        Mailbox.Run(); // the mailbox stayed scheduled while the task ran: continue the turn here
    }

    private void CompleteHeldTask(Task task)
    {
        _heldBy = null;
        if (task.IsFaulted) HandleInvokeFailure(task.Exception!.InnerExceptions[0], _current.Message);
        else if (task.IsCanceled) HandleInvokeFailure(new TaskCanceledException(task), _current.Message);
    }

    private void Invoke(in Envelope envelope)
    {
        _current = envelope;
        InvocationNumber++;
        try
        {
            switch (envelope.Message)
            {
                case PoisonPill:
                    SelfRef.SendSystemMessage(Terminate.Instance);
                    break;
                case Kill:
                    throw new ActorKilledException($"Kill received by {Path}");
                case TimerScheduler.Tick tick:
                    if (_timers is not null && _timers.TryTake(tick, out var timed))
                    {
                        _current = new Envelope(timed, null);
                        _actor!.AroundReceive(timed);
                    }
                    break;
                case WatchedActorTerminated terminated:
                    if (_terminatedQueued.Remove(terminated.Actor))
                    {
                        _current = new Envelope(terminated.Message, terminated.Actor);
                        _actor!.AroundReceive(terminated.Message);
                    }
                    break;
                default:
                    _actor!.AroundReceive(envelope.Message);
                    break;
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex, _current.Message);
        }
    }

    private void ProcessAllSystemMessages()
    {
        while (!_terminated && Mailbox.TryDequeueSystem(out var message))
        {
            try
            {
                SystemInvoke(message);
            }
            catch (Exception ex)
            {
                // A bug in the runtime or a throwing lifecycle hook we could not attribute: never lose it silently.
                System.Log.Error(Path, ex, $"Error while processing system message {message.GetType().Name}");
            }
        }
    }

    private void SystemInvoke(SystemMessage message)
    {
        switch (message)
        {
            case Create: CreateActor(); break;
            case Recreate recreate: FaultRecreate(recreate.Cause); break;
            case Suspend: FaultSuspend(); break;
            case Resume resume: FaultResume(resume.CausedByFailure); break;
            case Terminate: BeginTerminate(); break;
            case Watch watch: AddWatcher(watch.Watchee, watch.Watcher); break;
            case Unwatch unwatch: RemoveWatcher(unwatch.Watchee, unwatch.Watcher); break;
            case Failed failed: HandleFailed(failed); break;
            case DeathWatchNotification notification: WatchedActorTerminated(notification.Actor); break;
        }
    }

    public void DeadLetter(in Envelope envelope)
    {
        switch (envelope.Message)
        {
            case TimerScheduler.Tick:
                return; // the actor's timers died with it
            case WatchedActorTerminated terminated:
                System.DeadLettersRef.Publish(terminated.Message, terminated.Actor, SelfRef);
                return;
            default:
                System.DeadLettersRef.Publish(envelope.Message, envelope.Sender, SelfRef);
                return;
        }
    }

    internal void PublishUnhandled(object message)
    {
        System.Log.Unhandled(message, Sender, SelfRef);
        System.EventStream.Publish(new UnhandledMessage(message, Sender, SelfRef));
    }

    private ActorBase NewActor()
    {
        var previous = t_constructing;
        t_constructing = this;
        try
        {
            var actor = Props.Factory();
            actor.AfterConstruction();
            return actor;
        }
        finally
        {
            t_constructing = previous;
        }
    }

    public override string ToString() => $"ActorCell({Path})";
}
