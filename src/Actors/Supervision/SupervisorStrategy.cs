namespace Ingrain.Actors.Supervision;

/// <summary>
/// How a supervisor treats a failed child: the <see cref="Decider"/> picks a <see cref="Directive"/>, and the
/// strategy applies it to that child (<see cref="OneForOneStrategy"/>) or to all children
/// (<see cref="AllForOneStrategy"/>). A Restart beyond <see cref="MaxNrOfRetries"/> within
/// <see cref="WithinTimeRange"/> becomes a Stop (it does not escalate).
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Initialization failures, Kill and unhandled Terminated stop the child; everything else restarts it.</summary>
    public static readonly IDecider DefaultDecider = Supervision.Decider.From(static cause => cause switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    });

    /// <summary>One-for-one, <see cref="DefaultDecider"/>, unlimited restarts.</summary>
    public static readonly SupervisorStrategy DefaultStrategy = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any child that fails.</summary>
    public static readonly SupervisorStrategy StoppingStrategy = new OneForOneStrategy(_ => Directive.Stop);

    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
    {
        if (maxNrOfRetries < -1)
            throw new ArgumentOutOfRangeException(nameof(maxNrOfRetries), maxNrOfRetries, "Use -1 for unlimited retries.");
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider ?? throw new ArgumentNullException(nameof(decider));
    }

    /// <summary>-1 means unlimited; 0 means never restart.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>Null (or infinite) means the count is over the child's lifetime.</summary>
    public TimeSpan? WithinTimeRange { get; }

    public IDecider Decider { get; }

    /// <summary>Applies the decider; returns false for Escalate, which the supervisor then does itself.</summary>
    internal bool HandleFailure(ISupervisorContext context, ChildRestartStats failed, Exception cause,
        IReadOnlyList<ChildRestartStats> children)
    {
        var directive = Decider.Decide(cause);
        switch (directive)
        {
            case Directive.Resume:
                context.LogFailure(failed.Child, cause, directive);
                context.ResumeChild(failed.Child, cause);
                return true;
            case Directive.Restart:
            case Directive.Stop:
                context.LogFailure(failed.Child, cause, directive);
                ProcessFailure(context, directive == Directive.Restart, failed, cause, children);
                return true;
            default:
                return false; // Escalate: logged by whichever supervisor finally handles it
        }
    }

    private protected abstract void ProcessFailure(ISupervisorContext context, bool restart, ChildRestartStats failed,
        Exception cause, IReadOnlyList<ChildRestartStats> children);
}

/// <summary>The directive applies to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, Supervision.Decider.From(decider)) { }

    public OneForOneStrategy(IDecider decider) : base(-1, null, decider) { }

    public OneForOneStrategy(Func<Exception, Directive> decider) : this(Supervision.Decider.From(decider)) { }

    private protected override void ProcessFailure(ISupervisorContext context, bool restart, ChildRestartStats failed,
        Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        if (restart && failed.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, context.Now))
            context.RestartChild(failed.Child, cause, suspendFirst: false);
        else
            context.StopChild(failed.Child);
    }
}

/// <summary>The directive applies to every child: one failure restarts (or stops) all siblings.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, Supervision.Decider.From(decider)) { }

    public AllForOneStrategy(IDecider decider) : base(-1, null, decider) { }

    public AllForOneStrategy(Func<Exception, Directive> decider) : this(Supervision.Decider.From(decider)) { }

    private protected override void ProcessFailure(ISupervisorContext context, bool restart, ChildRestartStats failed,
        Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        var alive = children.Where(c => !c.Terminating).ToArray();
        // As in Akka: ask each child's permission in turn; the first refusal stops them all.
        var permitted = restart && alive.All(c => c.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, context.Now));
        foreach (var child in alive)
        {
            if (permitted) context.RestartChild(child.Child, cause, suspendFirst: !ReferenceEquals(child, failed));
            else context.StopChild(child.Child);
        }
    }
}
