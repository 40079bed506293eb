using Ingrain.Actors.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingrain.Actors;

/// <summary>How an <see cref="ActorSystem"/> is set up. Every member has a production default.</summary>
public sealed record ActorSystemSettings
{
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Source of all time: scheduler, timers, Ask timeouts, restart windows, shutdown phase timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>User messages an actor processes per turn before yielding its thread (Akka's default: 30).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>Strategy of the /user guardian for top-level actors.</summary>
    public SupervisorStrategy GuardianStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;

    /// <summary>Phases of <see cref="CoordinatedShutdown"/>, in order.</summary>
    public IReadOnlyList<ShutdownPhase> ShutdownPhases { get; init; } = CoordinatedShutdown.DefaultPhases;
}
