namespace Ingrain.Actors.Supervision;

/// <summary>What a strategy may do to the children of the supervisor that is handling a failure.</summary>
internal interface ISupervisorContext
{
    /// <summary>Monotonic time from the system's TimeProvider.</summary>
    TimeSpan Now { get; }

    void ResumeChild(IActorRef child, Exception cause);

    void RestartChild(IActorRef child, Exception cause, bool suspendFirst);

    /// <summary>Restarts the (already suspended) failed child after <paramref name="delay"/>; until then its mailbox
    /// keeps filling. A child stopped meanwhile is not restarted.</summary>
    void RestartChildAfter(IActorRef child, Exception cause, TimeSpan delay);

    void StopChild(IActorRef child);

    void LogFailure(IActorRef child, Exception cause, Directive directive);
}
