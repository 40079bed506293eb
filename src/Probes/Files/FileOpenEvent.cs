using System.Globalization;

namespace Ingrain.Probes.Files;

/// <summary>
/// <c>file.open</c>: a process opened a file under a monitored directory, or failed to (<see cref="Error"/>); a
/// counter of 1 (docs/probes.md lists the tags).
/// </summary>
public sealed record FileOpenEvent : Measurement
{
    public FileOpenEvent(long timestamp, FileProcess process, string path, uint flags, ulong inode, ulong device, string? error, bool truncated)
        : base(timestamp, MeasurementKind.Counter, FilesMeasurements.Open, MeasurementValue.Count(1))
    {
        Process = process;
        Path = path;
        Flags = flags;
        Inode = inode;
        Device = device;
        Error = error;
        Truncated = truncated;
    }

    public FileProcess Process { get; }

    /// <summary>Absolute, as the process's mount namespace sees it; for a failed open the path as written, made
    /// absolute against the cwd or dirfd and normalized lexically.</summary>
    public string Path { get; }

    /// <summary>The <c>O_*</c> flags the process passed.</summary>
    public uint Flags { get; }

    /// <summary>The file's inode number; 0 for a failed open.</summary>
    public ulong Inode { get; }

    /// <summary>The file's device as <c>stat(2)</c>'s <c>st_dev</c>; 0 for a failed open.</summary>
    public ulong Device { get; }

    /// <summary>The errno name of a failed open (<c>ENOENT</c>…); null when it succeeded.</summary>
    public string? Error { get; }

    /// <summary>The path was longer than 4 KiB: its leading components are missing.</summary>
    public bool Truncated { get; }

    protected override Tags BuildTags()
    {
        var pairs = new List<KeyValuePair<string, string>>(12);
        Process.AddTags(pairs);
        pairs.Add(new("path_str", Path));
        pairs.Add(new("flags_str", OpenFlags.Format(Flags)));
        if (Error is null)
        {
            pairs.Add(new("ino_id", Inode.ToString(CultureInfo.InvariantCulture)));
            pairs.Add(new("dev_id", Device.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            pairs.Add(new("error_str", Error));
        }
        if (Truncated) pairs.Add(new("path_truncated", "true"));
        return Tags.FromArray([.. pairs]);
    }
}

/// <summary>The process (and thread) that opened a file.</summary>
/// <param name="Command">The main thread's comm, as <c>ps</c> shows it.</param>
/// <param name="ThreadCommand">The calling thread's comm.</param>
public sealed record FileProcess(int ProcessId, string Command, int ThreadId, string ThreadCommand, uint Uid)
{
    internal void AddTags(List<KeyValuePair<string, string>> pairs)
    {
        pairs.Add(new("process_id", ProcessId.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("process_str", Command));
        pairs.Add(new("thread_id", ThreadId.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("thread_str", ThreadCommand));
        pairs.Add(new("uid_id", Uid.ToString(CultureInfo.InvariantCulture)));
    }
}
