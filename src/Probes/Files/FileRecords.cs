using System.Runtime.InteropServices;

namespace Ingrain.Probes.Files;

// Mirrors of bpf/files/files.h. Change both together: FilesAbiTests compares sizes and offsets with the object's BTF.

/// <summary>
/// Mirror of <c>struct file_record</c>. Variable-length: the kernel sends the header and <see cref="PathLen"/> bytes
/// of <see cref="Path"/>, nothing after them.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FileRecord
{
    public const int PathMax = 4096;
    public const byte FlagFailed = 1, FlagTruncated = 2, FlagUnnormalized = 4;

    public byte Op;
    public byte Flags;
    public ushort PathLen;
    public uint Error;
    public ulong BootNs;
    public ulong Ino;
    public uint Dev;
    public uint OpenFlags;
    public uint Tgid;
    public uint Pid;
    public uint Uid;
    public uint Syscall;
    public fixed byte Comm[16];
    public fixed byte ThreadComm[16];
    public fixed byte Path[PathMax];
}

/// <summary>Mirror of <c>struct monitor_key</c>: a monitored file or directory by filesystem identity.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MonitorKey : IEquatable<MonitorKey>
{
    public ulong Ino;
    public uint Dev;
    public uint Reserved;

    public MonitorKey(uint dev, ulong ino)
    {
        Dev = dev;
        Ino = ino;
        Reserved = 0;
    }

    public readonly bool Equals(MonitorKey other) => Ino == other.Ino && Dev == other.Dev;

    public override readonly bool Equals(object? obj) => obj is MonitorKey k && Equals(k);

    public override readonly int GetHashCode() => HashCode.Combine(Ino, Dev);
}

/// <summary>Mirror of <c>struct io_key</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoKey
{
    public ulong Ino;
    public uint Dev;
    public uint Tgid;
    public uint Epoch;
    public uint Reserved;
}

/// <summary>Mirror of <c>struct io_value</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoValue
{
    public ulong ReadBytes;
    public ulong ReadCalls;
    public ulong WriteBytes;
    public ulong WriteCalls;
    public fixed byte Comm[16];
}

/// <summary>Mirror of <c>struct files_config</c> (the one entry of the <c>files_config</c> array).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FilesConfig
{
    public uint Epoch;
    public uint Generation;
}

/// <summary>Indexes of the per-CPU <c>files_errors</c> array (<c>FILES_ERR_*</c>).</summary>
internal static class FileErrors
{
    public const uint IoMapFull = 0, IoBytesLost = 1, WalkTooDeep = 2;
}
