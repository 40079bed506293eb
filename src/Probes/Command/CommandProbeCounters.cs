namespace Ingrain.Probes.Command;

/// <summary>What the command probe's runs came to. Thread-safe.</summary>
public sealed class CommandProbeCounters
{
    private long _runs, _succeeded, _spawnFailed, _timedOut, _nonZeroExit, _badOutput, _rows, _skippedRows;

    public long Runs => Interlocked.Read(ref _runs);
    public long Succeeded => Interlocked.Read(ref _succeeded);
    public long SpawnFailed => Interlocked.Read(ref _spawnFailed);
    public long TimedOut => Interlocked.Read(ref _timedOut);
    public long NonZeroExit => Interlocked.Read(ref _nonZeroExit);

    /// <summary>Runs whose output was not a JSON array of rows (or was too large).</summary>
    public long BadOutput => Interlocked.Read(ref _badOutput);

    /// <summary>Rows turned into measurements.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Rows skipped: not an object, or no usable value.</summary>
    public long SkippedRows => Interlocked.Read(ref _skippedRows);

    internal void Add(CommandRunStatus status, int rows, int skipped)
    {
        Interlocked.Increment(ref _runs);
        switch (status)
        {
            case CommandRunStatus.Succeeded: Interlocked.Increment(ref _succeeded); break;
            case CommandRunStatus.SpawnFailed: Interlocked.Increment(ref _spawnFailed); break;
            case CommandRunStatus.TimedOut: Interlocked.Increment(ref _timedOut); break;
            case CommandRunStatus.NonZeroExit: Interlocked.Increment(ref _nonZeroExit); break;
            default: Interlocked.Increment(ref _badOutput); break;
        }
        Interlocked.Add(ref _rows, rows);
        Interlocked.Add(ref _skippedRows, skipped);
    }

    public override string ToString() =>
        $"runs={Runs} succeeded={Succeeded} spawn-failed={SpawnFailed} timed-out={TimedOut} non-zero-exit={NonZeroExit} bad-output={BadOutput} rows={Rows} skipped-rows={SkippedRows}";
}
