namespace Ingrain.Actors.Supervision;

/// <summary>What a strategy may do to the children of the supervisor that is handling a failure.</summary>
internal interface ISupervisorContext
{
    /// <summary>Monotonic time from the system's TimeProvider.</summary>
    TimeSpan Now { get; }

    void ResumeChild(IActorRef child, Exception cause);

    void RestartChild(IActorRef child, Exception cause, bool suspendFirst);

    void StopChild(IActorRef child);

    void LogFailure(IActorRef child, Exception cause, Directive directive);
}
