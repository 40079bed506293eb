namespace Ingrain.Actors.Pipeline.Steps;

/// <summary>What an <c>exec</c> step did with the commands it was asked to run. Thread-safe.</summary>
public sealed class ExecCounters
{
    private long _started, _exited, _timedOut, _spawnFailed, _rateLimited, _missingTag;

    /// <summary>Processes started.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Processes that exited on their own (whatever their exit code).</summary>
    public long Exited => Interlocked.Read(ref _exited);

    /// <summary>Processes killed because they outlived the timeout.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Commands that could not be started (missing binary, permission); logged, never fatal.</summary>
    public long SpawnFailed => Interlocked.Read(ref _spawnFailed);

    /// <summary>Commands not run because the rate limit was reached or the run queue was full.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Commands not run because a <c>{tag}</c> placeholder named a tag the measurement lacks.</summary>
    public long MissingTag => Interlocked.Read(ref _missingTag);

    internal void AddStarted() => Interlocked.Increment(ref _started);
    internal void AddExited() => Interlocked.Increment(ref _exited);
    internal void AddTimedOut() => Interlocked.Increment(ref _timedOut);
    internal void AddSpawnFailed() => Interlocked.Increment(ref _spawnFailed);
    internal void AddRateLimited() => Interlocked.Increment(ref _rateLimited);
    internal void AddMissingTag() => Interlocked.Increment(ref _missingTag);

    public override string ToString() =>
        $"started={Started} exited={Exited} timed-out={TimedOut} spawn-failed={SpawnFailed} rate-limited={RateLimited} missing-tag={MissingTag}";
}
