namespace Ingrain.Probes.Files;

/// <summary>
/// The files probe's own counters, shown in the status after the common ones (the lost entries are also part of
/// <c>kernel-lost</c>). Thread-safe; totals across restarts (the module hands the same instance on).
/// </summary>
public sealed class FilesProbeCounters : CounterSet
{
    private readonly Counter _ioEntriesLost, _ioBytesLost, _walksTooDeep, _pathsUnknown, _reconfigured;

    public FilesProbeCounters()
    {
        _ioEntriesLost = Define("io-entries-lost");
        _ioBytesLost = Define("io-bytes-lost");
        _walksTooDeep = Define("walks-too-deep");
        _pathsUnknown = Define("paths-unknown");
        _reconfigured = Define("monitor-updates");
    }

    /// <summary>New {process, file} sums that found the io map full (their calls' bytes are in <see cref="IoBytesLost"/>).</summary>
    public long IoEntriesLost => _ioEntriesLost.Value;

    /// <summary>Bytes read or written by the calls that found the io map full (bytes, not records: not in kernel-lost).</summary>
    public long IoBytesLost => _ioBytesLost.Value;

    /// <summary>Walks that did not reach the root within 1024 steps (deeper than that: judged not monitored).</summary>
    public long WalksTooDeep => _walksTooDeep.Value;

    /// <summary>Read/write sums reported with an empty <c>path_str</c>: no open or path record named their file.</summary>
    public long PathsUnknown => _pathsUnknown.Value;

    /// <summary>Reloads that changed <c>monitor-dirs</c> in place.</summary>
    public long MonitorUpdates => _reconfigured.Value;

    internal void Add(FilesKernelErrors delta)
    {
        _ioEntriesLost.Add(delta.IoEntriesLost);
        _ioBytesLost.Add(delta.IoBytesLost);
        _walksTooDeep.Add(delta.WalksTooDeep);
    }

    internal void AddPathsUnknown(long n) => _pathsUnknown.Add(n);

    internal void AddMonitorUpdate() => _reconfigured.Increment();
}

/// <param name="IoEntriesLost">New {process, file} sums that found the io map full.</param>
/// <param name="IoBytesLost">The bytes those calls moved.</param>
/// <param name="WalksTooDeep">Walks that ran out of steps.</param>
public sealed record FilesKernelErrors(long IoEntriesLost, long IoBytesLost, long WalksTooDeep)
{
    /// <summary>Counted as lost records.</summary>
    public long Total => IoEntriesLost;
}
