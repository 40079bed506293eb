using Ingrain.Actors.Supervision;

namespace Ingrain.Actors.Pattern;

/// <summary>When the <see cref="BackoffSupervisor"/> starts its child again.</summary>
public enum BackoffMode
{
    /// <summary>The child threw: it is stopped, then started again after the delay. If it stops on its own, the
    /// supervisor stops too.</summary>
    OnFailure,

    /// <summary>The child stopped (for whatever reason, e.g. an init failure stopped by the default decider): it is
    /// started again after the delay. Exceptions are handled by the strategy first (default: immediate restart).</summary>
    OnStop,
}

/// <summary>
/// Settings of a <see cref="BackoffSupervisor"/>. Delay of the n-th restart (n from 0):
/// <c>min(max, min·2ⁿ) · (1 + U[0,1)·randomFactor)</c> — the random factor applies after the cap, so a delay may
/// exceed <see cref="MaxBackoff"/> by up to ×(1+randomFactor). The count resets to 0 once the child has run for
/// <see cref="ResetBackoffAfter"/> (default: <see cref="MinBackoff"/>), or on <see cref="BackoffSupervisor.Reset"/>
/// with <see cref="WithManualReset"/>.
/// </summary>
public sealed record BackoffOptions
{
    private BackoffOptions(BackoffMode mode, Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff,
        double randomFactor, int maxNrOfRetries)
    {
        ArgumentNullException.ThrowIfNull(childProps);
        ArgumentException.ThrowIfNullOrEmpty(childName);
        if (minBackoff <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(minBackoff), minBackoff, "minBackoff must be > 0");
        if (maxBackoff < minBackoff)
            throw new ArgumentOutOfRangeException(nameof(maxBackoff), maxBackoff, "maxBackoff must be >= minBackoff");
        if (randomFactor is < 0.0 or > 1.0 || double.IsNaN(randomFactor))
            throw new ArgumentOutOfRangeException(nameof(randomFactor), randomFactor, "randomFactor must be between 0.0 and 1.0");
        if (maxNrOfRetries < -1)
            throw new ArgumentOutOfRangeException(nameof(maxNrOfRetries), maxNrOfRetries, "maxNrOfRetries must be -1 (unlimited) or >= 0");
        Mode = mode;
        ChildProps = childProps;
        ChildName = childName;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        RandomFactor = randomFactor;
        MaxNrOfRetries = maxNrOfRetries;
        ResetBackoffAfter = minBackoff;
    }

    public BackoffMode Mode { get; }

    public Props ChildProps { get; }

    public string ChildName { get; }

    public TimeSpan MinBackoff { get; }

    public TimeSpan MaxBackoff { get; }

    public double RandomFactor { get; }

    /// <summary>Restarts allowed before the supervisor gives up and stops itself; -1 = unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>How long the child must run before the restart count resets; null with manual reset.</summary>
    public TimeSpan? ResetBackoffAfter { get; private init; }

    /// <summary>Strategy for the child's exceptions. OnFailure default: every exception restarts with backoff
    /// (initialization failures included — which is what a probe that fails to attach needs). OnStop default:
    /// Akka's default strategy, which restarts at once; use <see cref="WithDefaultStoppingStrategy"/> to have every
    /// failure go through the backoff.</summary>
    public SupervisorStrategy? Strategy { get; private init; }

    /// <summary>Answer sent to senders while no child is running; null sends their messages to dead letters.</summary>
    public object? ReplyWhileStopped { get; private init; }

    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff,
        double randomFactor, int maxNrOfRetries = -1) =>
        new(BackoffMode.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries);

    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff,
        double randomFactor, int maxNrOfRetries = -1) =>
        new(BackoffMode.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries);

    public BackoffOptions WithAutoReset(TimeSpan resetBackoffAfter) => resetBackoffAfter > TimeSpan.Zero
        ? this with { ResetBackoffAfter = resetBackoffAfter }
        : throw new ArgumentOutOfRangeException(nameof(resetBackoffAfter), resetBackoffAfter, "resetBackoff must be > 0");

    /// <summary>The count resets only when the child sends <see cref="BackoffSupervisor.Reset"/> to its parent.</summary>
    public BackoffOptions WithManualReset() => this with { ResetBackoffAfter = null };

    public BackoffOptions WithSupervisorStrategy(SupervisorStrategy strategy) =>
        this with { Strategy = strategy ?? throw new ArgumentNullException(nameof(strategy)) };

    public BackoffOptions WithDefaultStoppingStrategy() => this with { Strategy = SupervisorStrategy.StoppingStrategy };

    public BackoffOptions WithReplyWhileStopped(object reply) =>
        this with { ReplyWhileStopped = reply ?? throw new ArgumentNullException(nameof(reply)) };
}
