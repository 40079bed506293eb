
namespace Ingrain.Steps.Exec;

/// <summary>What an <c>exec</c> step did with the commands it was asked to run. Thread-safe.</summary>
public sealed class ExecCounters : CounterSet
{
    private readonly Counter _started, _exited, _timedOut, _spawnFailed, _rateLimited, _missingTag;

    public ExecCounters()
    {
        _started = Define("started");
        _exited = Define("exited");
        _timedOut = Define("timed-out");
        _spawnFailed = Define("spawn-failed");
        _rateLimited = Define("rate-limited");
        _missingTag = Define("missing-tag");
    }

    /// <summary>Processes started.</summary>
    public long Started => _started.Value;

    /// <summary>Processes that exited on their own (whatever their exit code).</summary>
    public long Exited => _exited.Value;

    /// <summary>Processes killed because they outlived the timeout.</summary>
    public long TimedOut => _timedOut.Value;

    /// <summary>Commands that could not be started (missing binary, permission); logged, never fatal.</summary>
    public long SpawnFailed => _spawnFailed.Value;

    /// <summary>Commands not run because the rate limit was reached or the run queue was full.</summary>
    public long RateLimited => _rateLimited.Value;

    /// <summary>Commands not run because a <c>{tag}</c> placeholder named a tag the measurement lacks.</summary>
    public long MissingTag => _missingTag.Value;

    internal void AddStarted() => _started.Increment();
    internal void AddExited() => _exited.Increment();
    internal void AddTimedOut() => _timedOut.Increment();
    internal void AddSpawnFailed() => _spawnFailed.Increment();
    internal void AddRateLimited() => _rateLimited.Increment();
    internal void AddMissingTag() => _missingTag.Increment();
}
