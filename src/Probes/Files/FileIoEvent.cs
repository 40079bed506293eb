using System.Globalization;

namespace Ingrain.Probes.Files;

/// <summary>
/// <c>file.read</c> / <c>file.write</c>: the bytes one process read from (wrote to) one file during one interval, as
/// the syscalls returned them, summed in the kernel. Unit byte; <see cref="Calls"/> is how many calls moved them.
/// </summary>
public sealed record FileIoEvent : Measurement
{
    public FileIoEvent(long timestamp, bool write, int processId, string command, string path, ulong inode, ulong device,
        ulong bytes, ulong calls, TimeSpan interval)
        : base(timestamp, MeasurementKind.Counter, write ? FilesMeasurements.Write : FilesMeasurements.Read, MeasurementValue.Bytes(bytes))
    {
        IsWrite = write;
        ProcessId = processId;
        Command = command;
        Path = path;
        Inode = inode;
        Device = device;
        Bytes = bytes;
        Calls = calls;
        Interval = interval;
    }

    public bool IsWrite { get; }

    public int ProcessId { get; }

    /// <summary>The main thread's comm when the process's first byte on this file in the interval was counted.</summary>
    public string Command { get; }

    /// <summary>Absolute path as the process sees it; empty when no path could be learnt (counted: paths-unknown).</summary>
    public string Path { get; }

    public ulong Inode { get; }

    /// <summary>As <c>stat(2)</c>'s <c>st_dev</c>.</summary>
    public ulong Device { get; }

    public ulong Bytes { get; }

    public ulong Calls { get; }

    public TimeSpan Interval { get; }

    protected override Tags BuildTags() => Tags.FromArray(
    [
        new("process_id", ProcessId.ToString(CultureInfo.InvariantCulture)),
        new("process_str", Command),
        new("path_str", Path),
        new("ino_id", Inode.ToString(CultureInfo.InvariantCulture)),
        new("dev_id", Device.ToString(CultureInfo.InvariantCulture)),
        new("calls_count", Calls.ToString(CultureInfo.InvariantCulture)),
        new("interval_ms", ((long)Interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
    ]);
}
