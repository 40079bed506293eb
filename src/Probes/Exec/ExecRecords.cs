using System.Runtime.InteropServices;

namespace Ingrain.Probes.Exec;

// Mirrors of bpf/exec/exec.h. Change both together: ExecAbiTests compares sizes and offsets with the object's BTF.

/// <summary>
/// Mirror of <c>struct exec_record</c>. Variable-length: the kernel sends the header, then <see cref="FilenameLen"/>
/// bytes of filename, then <see cref="ArgsLen"/> bytes of argv in <see cref="Data"/>, and nothing after them.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ExecRecord
{
    public const int FilenameLength = 256;
    public const int ArgsLength = 4096;
    public const byte FlagArgsTruncated = 1;
    public const byte FlagFilenameTruncated = 2;

    public byte Op;
    public byte Flags;
    public ushort FilenameLen;
    public uint ArgsLen;
    public ulong BootNs;
    public ulong CgroupId;
    public uint Pid;
    public uint Tgid;
    public uint Ppid;
    public uint Uid;
    public uint Gid;
    public uint Reserved;
    public fixed byte Comm[16];
    public fixed byte Data[FilenameLength + ArgsLength];
}

/// <summary>Mirror of <c>struct exit_record</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ExitRecord
{
    public byte Op;
    public byte CoreDumped;
    public byte ExitCode;
    public byte Signal;
    public uint Pid;
    public ulong BootNs;
    public ulong CgroupId;
    public ulong DurationNs;
    public uint Tgid;
    public uint Ppid;
    public uint Uid;
    public uint Gid;
    public fixed byte Comm[16];
}
