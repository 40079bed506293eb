namespace Ingrain.Probes.Network;

/// <summary>Settings of the network probe (HOCON <c>type = network</c>, parsed by <see cref="NetworkProbeModule"/>; defaults only in reference.hocon).</summary>
/// <param name="Measurements">Which of <see cref="NetworkMeasurements.All"/> to report; the programs of the others are not loaded.</param>
/// <param name="VolumeInterval">How often the kernel's volume sums are read and reported (<c>volume-interval</c>).</param>
/// <param name="IgnoredProcesses">Process names (<c>process_str</c>) whose measurements are dropped (<c>ignore-processes</c>).</param>
/// <param name="IgnoredProcessId">A process whose activity is dropped in the kernel: the agent itself (<c>ignore-self</c>), 0 for none.</param>
/// <param name="OwnerWait">How long a close without owner waits for the accept that names its process (<c>owner-wait</c>).</param>
public sealed record NetworkProbeOptions(
    IReadOnlySet<string> Measurements,
    TimeSpan VolumeInterval,
    IReadOnlySet<string> IgnoredProcesses,
    int IgnoredProcessId,
    TimeSpan OwnerWait)
{
    public bool Emits(string measurement) => Measurements.Contains(measurement);

    /// <summary>Value equality, sets included (a reload compares old and new options by value).</summary>
    public bool Equals(NetworkProbeOptions? other) =>
        other is not null && Measurements.SetEquals(other.Measurements) && VolumeInterval == other.VolumeInterval
        && IgnoredProcesses.SetEquals(other.IgnoredProcesses) && IgnoredProcessId == other.IgnoredProcessId && OwnerWait == other.OwnerWait;

    public override int GetHashCode() => HashCode.Combine(Measurements.Count, VolumeInterval, IgnoredProcesses.Count, IgnoredProcessId, OwnerWait);
}
