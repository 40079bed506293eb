namespace Ingrain.Probes.Dns;

/// <summary>Settings of the DNS probe (HOCON <c>type = dns</c>, parsed by <see cref="DnsProbeModule"/>; defaults only in reference.hocon).</summary>
/// <param name="Measurements">Which of <see cref="DnsMeasurements.All"/> to report.</param>
/// <param name="Ports">The UDP and TCP ports whose payload is parsed as DNS (either end of the packet).</param>
/// <param name="IgnoredProcesses">Process names (<c>process_str</c>) whose messages are dropped (<c>ignore-processes</c>).</param>
/// <param name="IgnoredProcessId">A process whose packets are dropped in the kernel: the agent itself (<c>ignore-self</c>), 0 for none.</param>
/// <param name="OwnerWait">How long a message whose socket has no known owner yet waits for one (<c>owner-wait</c>).</param>
public sealed record DnsProbeOptions(
    IReadOnlySet<string> Measurements,
    IReadOnlyList<int> Ports,
    IReadOnlySet<string> IgnoredProcesses,
    int IgnoredProcessId,
    TimeSpan OwnerWait)
{
    public bool Emits(string measurement) => Measurements.Contains(measurement);

    /// <summary>Value equality, collections included (a reload compares old and new options by value).</summary>
    public bool Equals(DnsProbeOptions? other) =>
        other is not null && Measurements.SetEquals(other.Measurements) && Ports.SequenceEqual(other.Ports)
        && IgnoredProcesses.SetEquals(other.IgnoredProcesses) && IgnoredProcessId == other.IgnoredProcessId && OwnerWait == other.OwnerWait;

    public override int GetHashCode() => HashCode.Combine(Measurements.Count, Ports.Count, IgnoredProcesses.Count, IgnoredProcessId, OwnerWait);
}
