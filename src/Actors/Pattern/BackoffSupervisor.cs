using Ingrain.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pattern;

/// <summary>
/// Runs one child and starts it again with growing delays when it fails (<see cref="BackoffMode.OnFailure"/>) or
/// stops (<see cref="BackoffMode.OnStop"/>). Messages to the supervisor go to the child with their original
/// sender; messages from the child go to the supervisor's parent. Delays use the actor's timers, so they run on
/// the system's TimeProvider. Past <see cref="BackoffOptions.MaxNrOfRetries"/> the supervisor stops itself.
/// </summary>
public sealed class BackoffSupervisor : ActorBase
{
    #region Messages

    /// <summary>Replies with <see cref="CurrentChild"/>.</summary>
    public sealed class GetCurrentChild
    {
        public static readonly GetCurrentChild Instance = new();

        private GetCurrentChild() { }
    }

    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Replies with <see cref="RestartCount"/>.</summary>
    public sealed class GetRestartCount
    {
        public static readonly GetRestartCount Instance = new();

        private GetRestartCount() { }
    }

    public sealed record RestartCount(int Count);

    /// <summary>Sets the restart count back to 0 (what the child sends with <see cref="BackoffOptions.WithManualReset"/>).</summary>
    public sealed class Reset
    {
        public static readonly Reset Instance = new();

        private Reset() { }
    }

    private sealed class StartChild
    {
        public static readonly StartChild Instance = new();
    }

    private sealed record ResetRestartCount(int Current);

    #endregion

    private const string StartTimer = "start-child";
    private const string ResetTimer = "reset-restart-count";

    private readonly BackoffOptions _options;
    private IActorRef? _child;
    private int _restartCount;
    private bool _restartRequested; // OnFailure: the decider turned a Restart into a Stop that we must follow up

    public BackoffSupervisor(BackoffOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    public static Props Props(BackoffOptions options) =>
        Actors.Props.Create(() => new BackoffSupervisor(options));

    /// <summary>The n-th delay (n from 0); see <see cref="BackoffOptions"/>. Overflow gives <paramref name="maxBackoff"/>.</summary>
    internal static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor)
    {
        var rnd = 1.0 + Random.Shared.NextDouble() * randomFactor;
        var capped = Math.Min(maxBackoff.Ticks, minBackoff.Ticks * Math.Pow(2, restartCount));
        var ticks = capped * rnd;
        return ticks < 0 || ticks >= long.MaxValue || double.IsNaN(ticks) ? maxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    protected override void PreStart() => StartChildNow();

    protected override SupervisorStrategy SupervisorStrategy()
    {
        if (_options.Mode == BackoffMode.OnStop) return _options.Strategy ?? Supervision.SupervisorStrategy.DefaultStrategy;
        var inner = _options.Strategy ?? new OneForOneStrategy(_ => Directive.Restart);
        // OnFailure: a Restart becomes a Stop, and the restart happens after the backoff delay (on Terminated).
        return new OneForOneStrategy(inner.MaxNrOfRetries, inner.WithinTimeRange, cause =>
        {
            var directive = inner.Decider.Decide(cause);
            if (directive != Directive.Restart) return directive;
            _restartRequested = true;
            return Directive.Stop;
        });
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated when ReferenceEquals(terminated.ActorRef, _child):
                ChildTerminated();
                return true;
            case StartChild:
                if (_child is null) StartChildNow();
                return true;
            case ResetRestartCount reset:
                if (reset.Current == _restartCount) _restartCount = 0;
                return true;
            case Reset:
                _restartCount = 0;
                return true;
            case GetCurrentChild:
                Sender.Tell(new CurrentChild(_child), Self);
                return true;
            case GetRestartCount:
                Sender.Tell(new RestartCount(_restartCount), Self);
                return true;
            case Terminated:
                return true; // an earlier incarnation of the child: already handled
            default:
                Route(message);
                return true;
        }
    }

    private void Route(object message)
    {
        if (_child is not null && ReferenceEquals(Sender, _child)) Context.Parent.Forward(message, Context);
        else if (_child is not null) _child.Forward(message, Context);
        else if (_options.ReplyWhileStopped is { } reply) Sender.Tell(reply, Self);
        else Context.System.DeadLetters.Forward(message, Context);
    }

    private void StartChildNow()
    {
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        if (_options.ResetBackoffAfter is { } resetAfter)
            Timers.StartSingleTimer(ResetTimer, new ResetRestartCount(_restartCount), resetAfter);
    }

    private void ChildTerminated()
    {
        _child = null;
        Timers.Cancel(ResetTimer);
        if (_options.Mode == BackoffMode.OnFailure && !_restartRequested)
        {
            Context.Stop(Self); // OnFailure: the child stopped on its own, so the supervisor's job is done
            return;
        }
        _restartRequested = false;
        if (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries)
        {
            Log.LogWarning("Child {Child} of {Supervisor} stopped and the {MaxNrOfRetries} restarts allowed are used up; stopping",
                _options.ChildName, Self.Path, _options.MaxNrOfRetries);
            Context.Stop(Self);
            return;
        }
        var delay = CalculateDelay(_restartCount, _options.MinBackoff, _options.MaxBackoff, _options.RandomFactor);
        _restartCount++;
        Timers.StartSingleTimer(StartTimer, StartChild.Instance, delay);
    }
}
