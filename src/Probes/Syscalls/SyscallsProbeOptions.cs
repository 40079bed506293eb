namespace Ingrain.Probes.Syscalls;

/// <summary>Settings of the syscalls probe (HOCON <c>type = syscalls</c>, parsed by <see cref="SyscallsProbeModule"/>; defaults only in reference.hocon).</summary>
/// <param name="Syscalls">The syscall numbers to count (<c>monitor-syscalls</c>, by name); empty counts every syscall.</param>
/// <param name="Interval">How often the counts are read, reported and reset (<c>interval</c>).</param>
/// <param name="IgnoredProcesses">Process names (<c>process_str</c>) whose counts are dropped (<c>ignore-processes</c>).</param>
/// <param name="IgnoredProcessId">A process whose calls are not counted, in the kernel: the agent itself (<c>ignore-self</c>), 0 for none.</param>
/// <param name="MaxPairs">How many distinct (process, syscall) pairs one interval can count (<c>max-pairs</c>); calls of further pairs are lost and counted.</param>
public sealed record SyscallsProbeOptions(
    IReadOnlySet<int> Syscalls,
    TimeSpan Interval,
    IReadOnlySet<string> IgnoredProcesses,
    int IgnoredProcessId,
    int MaxPairs)
{
    public bool MonitorsAll => Syscalls.Count == 0;

    /// <summary>Value equality, sets included (a reload compares old and new options by value).</summary>
    public bool Equals(SyscallsProbeOptions? other) =>
        other is not null && Syscalls.SetEquals(other.Syscalls) && Interval == other.Interval
        && IgnoredProcesses.SetEquals(other.IgnoredProcesses) && IgnoredProcessId == other.IgnoredProcessId && MaxPairs == other.MaxPairs;

    public override int GetHashCode() => HashCode.Combine(Syscalls.Count, Interval, IgnoredProcesses.Count, IgnoredProcessId, MaxPairs);
}
