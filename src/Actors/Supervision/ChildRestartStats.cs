namespace Ingrain.Actors.Supervision;

/// <summary>
/// Restart bookkeeping for one child, with Akka's counting rules (<c>ChildStats.cs</c>). Pure: the clock is a
/// parameter (a monotonic elapsed time), so the rules are testable without waiting.
/// </summary>
public sealed class ChildRestartStats(IActorRef child)
{
    private TimeSpan? _windowStart;

    public IActorRef Child { get; } = child;

    /// <summary>Restarts counted so far (in the current window when a window is set).</summary>
    public int RetriesCount { get; private set; }

    /// <summary>Set while the supervisor is stopping this child; its failures are then ignored.</summary>
    internal bool Terminating { get; set; }

    /// <summary>
    /// May the child restart once more? <c>maxNrOfRetries = 0</c> denies; <c>-1</c> with no window allows always;
    /// a positive max with no window is a lifetime count that never resets; with a window, the window opens at the
    /// first restart and the count resets when a restart comes after it elapsed (a tumbling window anchored at the
    /// first failure, not a sliding one). With only a window set, max counts as 1.
    /// </summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan? withinTimeRange, TimeSpan now)
    {
        if (maxNrOfRetries == 0) return false;
        var retriesDefined = maxNrOfRetries > 0;
        var windowDefined = withinTimeRange is { } w && w > TimeSpan.Zero && w != Timeout.InfiniteTimeSpan;
        if (retriesDefined && !windowDefined) return ++RetriesCount <= maxNrOfRetries;
        if (windowDefined) return RetriesInWindowOkay(retriesDefined ? maxNrOfRetries : 1, withinTimeRange!.Value, now);
        return true;
    }

    private bool RetriesInWindowOkay(int retries, TimeSpan window, TimeSpan now)
    {
        var retriesDone = RetriesCount + 1;
        var windowStart = _windowStart ??= now;
        if (now - windowStart <= window)
        {
            RetriesCount = retriesDone;
            return retriesDone <= retries;
        }
        RetriesCount = 1;
        _windowStart = now;
        return true;
    }
}
