using System.Globalization;

namespace Ingrain.Probes.Syscalls;

/// <summary>
/// <c>syscall.enter</c>: how many times one process entered one syscall during one interval, counted in the kernel.
/// A counter; tags <c>process_id</c>, <c>process_str</c>, <c>syscall_str</c>, <c>syscall_id</c>.
/// </summary>
public sealed record SyscallEvent : Measurement
{
    public const string MeasurementName = "syscall.enter";

    public SyscallEvent(long timestamp, int processId, string command, int syscall, string syscallName, ulong calls)
        : base(timestamp, MeasurementKind.Counter, MeasurementName, MeasurementValue.Count(calls))
    {
        ProcessId = processId;
        Command = command;
        Syscall = syscall;
        SyscallName = syscallName;
        Calls = calls;
    }

    public int ProcessId { get; init; }

    /// <summary>The process's name (its main thread's comm) when the last new syscall of its interval was first counted (after an exec: the new program's).</summary>
    public string Command { get; init; }

    /// <summary>The syscall's number on this architecture.</summary>
    public int Syscall { get; init; }

    /// <summary>The syscall's plain name (<c>getppid</c>), or its number when the table has no name for it.</summary>
    public string SyscallName { get; init; }

    public ulong Calls { get; init; }

    protected override Tags BuildTags() => Tags.FromArray(
    [
        new("process_id", ProcessId.ToString(CultureInfo.InvariantCulture)),
        new("process_str", Command),
        new("syscall_str", SyscallName),
        new("syscall_id", Syscall.ToString(CultureInfo.InvariantCulture)),
    ]);
}
