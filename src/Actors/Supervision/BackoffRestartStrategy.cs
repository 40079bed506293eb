namespace Ingrain.Actors.Supervision;

/// <summary>
/// One-for-one: every failure of a child — its constructor or PreStart included — restarts that child in place after
/// a backoff, never stops it. The child keeps its ref and its mailbox, so messages queued before and during the wait
/// are processed by the new instance. Delay of the n-th consecutive restart (n from 0):
/// <c>min(max, min·2ⁿ)·(1 + U[0,1)·randomFactor)</c>; n resets once a failure comes more than
/// <paramref name="resetAfter"/> after the previous one. <paramref name="onFailure"/>, when given, hears of every failure
/// first (on the supervisor's thread). Create one instance per supervisor (it keeps per-child state).
/// </summary>
public sealed class BackoffRestartStrategy(TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, TimeSpan resetAfter,
    Action<IActorRef, Exception>? onFailure = null)
    : SupervisorStrategy(-1, null, Supervision.Decider.From(static _ => Directive.Restart))
{
    private readonly Dictionary<IActorRef, (int Restarts, TimeSpan LastFailure)> _children = new();

    /// <summary>The delay before the restart that follows <paramref name="restarts"/> consecutive earlier ones.</summary>
    public TimeSpan DelayFor(int restarts)
    {
        var exponential = minBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(restarts, 30));
        var capped = Math.Min(maxBackoff.TotalMilliseconds, exponential);
        return TimeSpan.FromMilliseconds(capped * (1 + Random.Shared.NextDouble() * randomFactor));
    }

    private protected override void ProcessFailure(ISupervisorContext context, bool restart, ChildRestartStats failed,
        Exception cause, IReadOnlyList<ChildRestartStats> children)
    {
        onFailure?.Invoke(failed.Child, cause);
        var now = context.Now;
        var restarts = _children.TryGetValue(failed.Child, out var last) && now - last.LastFailure <= resetAfter ? last.Restarts : 0;
        _children[failed.Child] = (restarts + 1, now);
        // Forget children that are gone, so a long-lived supervisor does not accumulate them.
        foreach (var gone in _children.Keys.Where(c => children.All(s => !s.Child.Equals(c))).ToArray()) _children.Remove(gone);
        context.RestartChildAfter(failed.Child, cause, DelayFor(restarts));
    }
}
