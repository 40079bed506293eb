using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>One step of <see cref="CoordinatedShutdown"/>. Its tasks run concurrently and must finish within
/// <see cref="Timeout"/>. When a task fails or times out, <see cref="Recover"/> = true goes on with the next phase;
/// false skips the remaining phases and goes straight to terminating the system.</summary>
public sealed record ShutdownPhase(string Name, TimeSpan Timeout, bool Recover = true);

/// <summary>
/// Stops the agent in an order that loses nothing: stop probes (no new events), drain pipelines (aggregators
/// flush what they hold), flush backends (send and close), then terminate the actor system. Phases run one
/// after another; each has its own timeout measured on the system's TimeProvider.
/// </summary>
public sealed class CoordinatedShutdown
{
    public const string PhaseBeforeShutdown = "before-shutdown";
    public const string PhaseStopProbes = "stop-probes";
    public const string PhaseDrainPipelines = "drain-pipelines";
    public const string PhaseFlushBackends = "flush-backends";
    /// <summary>Always the last phase: the runtime registers the system's termination here.</summary>
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    public static readonly IReadOnlyList<ShutdownPhase> DefaultPhases =
    [
        new(PhaseBeforeShutdown, TimeSpan.FromSeconds(5)),
        new(PhaseStopProbes, TimeSpan.FromSeconds(5)),
        new(PhaseDrainPipelines, TimeSpan.FromSeconds(10)),
        new(PhaseFlushBackends, TimeSpan.FromSeconds(10)),
        new(PhaseActorSystemTerminate, TimeSpan.FromSeconds(10)),
    ];

    private readonly ActorSystem _system;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(string Name, Func<CancellationToken, Task> Run)>> _tasks;
    private Task? _run;

    internal CoordinatedShutdown(ActorSystem system, IReadOnlyList<ShutdownPhase> phases)
    {
        if (phases.Count == 0 || phases[^1].Name != PhaseActorSystemTerminate)
            throw new ArgumentException($"The last shutdown phase must be \"{PhaseActorSystemTerminate}\".", nameof(phases));
        if (phases.Select(p => p.Name).Distinct().Count() != phases.Count)
            throw new ArgumentException("Shutdown phase names must be unique.", nameof(phases));
        _system = system;
        Phases = phases;
        _tasks = phases.ToDictionary(p => p.Name, _ => new List<(string, Func<CancellationToken, Task>)>());
        _tasks[PhaseActorSystemTerminate].Add(("terminate-actor-system", _ => system.Terminate()));
    }

    public IReadOnlyList<ShutdownPhase> Phases { get; }

    /// <summary>Why the shutdown runs; null until <see cref="RunAsync"/> is called.</summary>
    public string? Reason { get; private set; }

    /// <summary>Registers a task in a phase. The token is cancelled when the phase times out.</summary>
    /// <exception cref="ArgumentException">unknown phase.</exception>
    /// <exception cref="InvalidOperationException">the shutdown has already started.</exception>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (_lock)
        {
            if (!_tasks.TryGetValue(phase, out var list))
                throw new ArgumentException($"Unknown shutdown phase \"{phase}\"; known: {string.Join(", ", _tasks.Keys)}.", nameof(phase));
            if (_run is not null) throw new InvalidOperationException($"Cannot add task \"{taskName}\": the shutdown has started.");
            list.Add((taskName, task));
        }
    }

    /// <summary>Runs all phases once; later calls return the same task. Completes when the system has terminated.</summary>
    public Task RunAsync(string reason = "unspecified")
    {
        lock (_lock)
        {
            if (_run is not null) return _run;
            Reason = reason;
            return _run = Task.Run(RunPhasesAsync);
        }
    }

    private async Task RunPhasesAsync()
    {
        var log = _system.Log;
        foreach (var phase in Phases)
        {
            var ok = await RunPhaseAsync(phase).ConfigureAwait(false);
            if (!ok && !phase.Recover && phase.Name != PhaseActorSystemTerminate)
            {
                log.Write(LogLevel.Warning, "CoordinatedShutdown",
                    $"Phase \"{phase.Name}\" failed and does not recover: skipping to \"{PhaseActorSystemTerminate}\"", null);
                await RunPhaseAsync(Phases[^1]).ConfigureAwait(false);
                break;
            }
        }
        await _system.WhenTerminated.ConfigureAwait(false);
    }

    private async Task<bool> RunPhaseAsync(ShutdownPhase phase)
    {
        (string Name, Func<CancellationToken, Task> Run)[] tasks;
        lock (_lock) tasks = [.. _tasks[phase.Name]];
        if (tasks.Length == 0) return true;
        using var cts = new CancellationTokenSource();
        var running = tasks.Select(t => RunTaskAsync(phase, t.Name, t.Run, cts.Token)).ToArray();
        try
        {
            var results = await Task.WhenAll(running).WaitAsync(phase.Timeout, _system.TimeProvider).ConfigureAwait(false);
            return results.All(r => r);
        }
        catch (TimeoutException)
        {
            cts.Cancel();
            _system.Log.Write(LogLevel.Warning, "CoordinatedShutdown",
                $"Phase \"{phase.Name}\" timed out after {phase.Timeout}; unfinished: " +
                string.Join(", ", tasks.Where((_, i) => !running[i].IsCompleted).Select(t => t.Name)), null);
            return false;
        }
    }

    private async Task<bool> RunTaskAsync(ShutdownPhase phase, string name, Func<CancellationToken, Task> run,
        CancellationToken cancellationToken)
    {
        try
        {
            await run(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex)
        {
            _system.Log.Write(LogLevel.Error, "CoordinatedShutdown", $"Task \"{name}\" in phase \"{phase.Name}\" failed", ex);
            return false;
        }
    }
}
