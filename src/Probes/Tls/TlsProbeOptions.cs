namespace Ingrain.Probes.Tls;

/// <summary>Settings of the TLS probe (HOCON <c>type = tls</c>, parsed by <see cref="TlsProbeModule"/>; defaults only in reference.hocon).</summary>
/// <param name="ServerHellos">Whether ServerHellos are reported too (<c>server-hellos</c>); ClientHellos always are.</param>
/// <param name="IgnoredProcesses">Process names (<c>process_str</c>) whose hellos are dropped (<c>ignore-processes</c>).</param>
/// <param name="IgnoredProcessId">A process whose packets are dropped: the agent itself (<c>ignore-self</c>), 0 for none.</param>
/// <param name="OwnerWait">How long a hello whose socket has no known owner yet waits for one (<c>owner-wait</c>).</param>
public sealed record TlsProbeOptions(bool ServerHellos, IReadOnlySet<string> IgnoredProcesses, int IgnoredProcessId, TimeSpan OwnerWait)
{
    /// <summary>Value equality, the set included (a reload compares old and new options by value).</summary>
    public bool Equals(TlsProbeOptions? other) =>
        other is not null && ServerHellos == other.ServerHellos && IgnoredProcesses.SetEquals(other.IgnoredProcesses)
        && IgnoredProcessId == other.IgnoredProcessId && OwnerWait == other.OwnerWait;

    public override int GetHashCode() => HashCode.Combine(ServerHellos, IgnoredProcesses.Count, IgnoredProcessId, OwnerWait);
}
