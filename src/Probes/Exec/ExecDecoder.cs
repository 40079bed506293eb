using Ingrain.Probes.Kernel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Ingrain.Probes.Exec;

/// <summary>
/// Turns exec probe records into <see cref="ExecEvent"/>s and <see cref="ExitEvent"/>s. Records that are too short,
/// carry an unknown opcode or inconsistent lengths are counted in <see cref="Malformed"/> and skipped.
/// Single-threaded: called from the ring reader's thread only.
/// </summary>
internal sealed unsafe class ExecDecoder(BootClock clock)
{
    // Field offsets, computed once (Marshal.OffsetOf reflects over the type on every call).
    private static readonly int DataOffset = (int)Marshal.OffsetOf<ExecRecord>(nameof(ExecRecord.Data));
    private static readonly int ExecCommOffset = (int)Marshal.OffsetOf<ExecRecord>(nameof(ExecRecord.Comm));
    private static readonly int ExitCommOffset = (int)Marshal.OffsetOf<ExitRecord>(nameof(ExitRecord.Comm));

    public long Malformed { get; private set; }

    public Measurement? Decode(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty)
        {
            Malformed++;
            return null;
        }
        var decoded = (OpCode)record[0] switch
        {
            OpCode.Exec => (Measurement?)DecodeExec(record),
            OpCode.Exit => DecodeExit(record),
            _ => null,
        };
        if (decoded is null) Malformed++;
        return decoded;
    }

    private ExecEvent? DecodeExec(ReadOnlySpan<byte> record)
    {
        // Variable-length: header, filename, args, and exactly that many bytes.
        if (record.Length < DataOffset) return null;
        ref readonly var header = ref Unsafe.As<byte, ExecRecord>(ref MemoryMarshal.GetReference(record));
        if (header.FilenameLen >= ExecRecord.FilenameLength || header.ArgsLen > ExecRecord.ArgsLength
            || record.Length != DataOffset + header.FilenameLen + (int)header.ArgsLen) return null;

        var data = record[DataOffset..];
        var path = Encoding.UTF8.GetString(data[..header.FilenameLen]);
        var args = SplitArgs(data[header.FilenameLen..], out var tooMany);
        var truncated = tooMany || (header.Flags & (ExecRecord.FlagArgsTruncated | ExecRecord.FlagFilenameTruncated)) != 0;
        return new ExecEvent(clock.ToUnixNanos(header.BootNs), Identity(header.Tgid, header.Pid, header.Ppid, header.Uid,
            header.Gid, record.Slice(ExecCommOffset, 16), header.CgroupId), path, args, truncated);
    }

    private ExitEvent? DecodeExit(ReadOnlySpan<byte> record)
    {
        if (record.Length < sizeof(ExitRecord)) return null;
        ref readonly var r = ref Unsafe.As<byte, ExitRecord>(ref MemoryMarshal.GetReference(record));
        return new ExitEvent(clock.ToUnixNanos(r.BootNs), Identity(r.Tgid, r.Pid, r.Ppid, r.Uid, r.Gid,
            record.Slice(ExitCommOffset, 16), r.CgroupId), r.ExitCode, r.Signal, r.CoreDumped != 0, (long)r.DurationNs);
    }

    private static ProcessIdentity Identity(uint tgid, uint pid, uint ppid, uint uid, uint gid, ReadOnlySpan<byte> comm, ulong cgroup) =>
        new((int)tgid, (int)pid, (int)ppid, uid, gid, CString(comm), cgroup);

    /// <summary>argv as the kernel lays it out: NUL-terminated strings back to back; the last may be cut short.</summary>
    internal static string[] SplitArgs(ReadOnlySpan<byte> bytes, out bool tooMany)
    {
        tooMany = false;
        if (bytes.IsEmpty) return [];
        if (bytes[^1] == 0) bytes = bytes[..^1];
        var count = Math.Min(bytes.Count((byte)0) + 1, ExecEvent.MaxArgs);
        var args = new string[count];
        for (var i = 0; i < count; i++)
        {
            var end = bytes.IndexOf((byte)0);
            if (end < 0) end = bytes.Length;
            args[i] = Encoding.UTF8.GetString(bytes[..end]);
            bytes = end < bytes.Length ? bytes[(end + 1)..] : [];
        }
        tooMany = !bytes.IsEmpty;
        return args;
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
