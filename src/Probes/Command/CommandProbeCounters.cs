
namespace Ingrain.Probes.Command;

/// <summary>What the command probe's runs came to. Thread-safe.</summary>
public sealed class CommandProbeCounters : CounterSet
{
    private readonly Counter _runs, _succeeded, _spawnFailed, _timedOut, _nonZeroExit, _badOutput, _rows, _skippedRows;

    public CommandProbeCounters()
    {
        _runs = Define("runs");
        _succeeded = Define("succeeded");
        _spawnFailed = Define("spawn-failed");
        _timedOut = Define("timed-out");
        _nonZeroExit = Define("non-zero-exit");
        _badOutput = Define("bad-output");
        _rows = Define("rows");
        _skippedRows = Define("skipped-rows");
    }

    public long Runs => _runs.Value;
    public long Succeeded => _succeeded.Value;
    public long SpawnFailed => _spawnFailed.Value;
    public long TimedOut => _timedOut.Value;
    public long NonZeroExit => _nonZeroExit.Value;

    /// <summary>Runs whose output was not a JSON array of rows (or was too large).</summary>
    public long BadOutput => _badOutput.Value;

    /// <summary>Rows turned into measurements.</summary>
    public long Rows => _rows.Value;

    /// <summary>Rows skipped: not an object, or no usable value.</summary>
    public long SkippedRows => _skippedRows.Value;

    internal void Add(CommandRunStatus status, int rows, int skipped)
    {
        _runs.Increment();
        var outcome = status switch
        {
            CommandRunStatus.Succeeded => _succeeded,
            CommandRunStatus.SpawnFailed => _spawnFailed,
            CommandRunStatus.TimedOut => _timedOut,
            CommandRunStatus.NonZeroExit => _nonZeroExit,
            _ => _badOutput,
        };
        outcome.Increment();
        _rows.Add(rows);
        _skippedRows.Add(skipped);
    }
}
