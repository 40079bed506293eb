namespace Ingrain.Probes.Files;

/// <summary>Settings of the files probe (HOCON <c>type = files</c>, parsed by <see cref="FilesProbeModule"/>; defaults only in reference.hocon).</summary>
/// <param name="MonitorDirs">Absolute paths of the files and directories whose contents are reported (<c>monitor-dirs</c>).</param>
/// <param name="Operations">Which of <see cref="FilesMeasurements.Operations"/> to report; the programs of the others are not loaded.</param>
/// <param name="AggregationInterval">How often the kernel's read/write sums are read and reported (<c>aggregation-interval</c>).</param>
/// <param name="IgnoredProcesses">Process names (<c>process_str</c>) whose measurements are dropped (<c>ignore-processes</c>).</param>
/// <param name="IgnoredProcessId">A process whose activity is dropped in the kernel: the agent itself (<c>ignore-self</c>), 0 for none.</param>
public sealed record FilesProbeOptions(
    IReadOnlyList<string> MonitorDirs,
    IReadOnlySet<string> Operations,
    TimeSpan AggregationInterval,
    IReadOnlySet<string> IgnoredProcesses,
    int IgnoredProcessId)
{
    public bool Opens => Operations.Contains("open");

    public bool Reads => Operations.Contains("read");

    public bool Writes => Operations.Contains("write");

    /// <summary>These options with another monitored set are the only change a running probe takes in place.</summary>
    public bool SameExceptMonitorDirs(FilesProbeOptions other) => this with { MonitorDirs = other.MonitorDirs } == other;

    /// <summary>Value equality, collections included (a reload compares old and new options by value).</summary>
    public bool Equals(FilesProbeOptions? other) =>
        other is not null && MonitorDirs.SequenceEqual(other.MonitorDirs) && Operations.SetEquals(other.Operations)
        && AggregationInterval == other.AggregationInterval && IgnoredProcesses.SetEquals(other.IgnoredProcesses)
        && IgnoredProcessId == other.IgnoredProcessId;

    public override int GetHashCode() => HashCode.Combine(MonitorDirs.Count, Operations.Count, AggregationInterval, IgnoredProcesses.Count, IgnoredProcessId);
}
