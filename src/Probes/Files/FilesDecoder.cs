using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Ingrain.Probes.Kernel;

namespace Ingrain.Probes.Files;

/// <summary>
/// Turns file records into <see cref="FileOpenEvent"/>s and learns paths for the read/write sums
/// (<see cref="FilePaths"/>). Records too short, with an unknown opcode or a length that disagrees with their header
/// are counted in <see cref="Malformed"/> and skipped. Single-threaded: called from the ring reader's thread only.
/// </summary>
internal sealed unsafe class FilesDecoder(BootClock clock, FilePaths paths, IReadOnlySet<string> ignoredProcesses)
{
    private static readonly int PathOffset = (int)Marshal.OffsetOf<FileRecord>(nameof(FileRecord.Path));
    private static readonly int CommOffset = (int)Marshal.OffsetOf<FileRecord>(nameof(FileRecord.Comm));
    private static readonly int ThreadCommOffset = (int)Marshal.OffsetOf<FileRecord>(nameof(FileRecord.ThreadComm));

    public long Malformed { get; private set; }

    public void Decode(ReadOnlySpan<byte> record, Action<Measurement> emit)
    {
        if (record.Length < PathOffset)
        {
            Malformed++;
            return;
        }
        ref readonly var r = ref Unsafe.As<byte, FileRecord>(ref MemoryMarshal.GetReference(record));
        if (r.PathLen > FileRecord.PathMax || record.Length != PathOffset + r.PathLen
            || (OpCode)r.Op is not (OpCode.FileOpen or OpCode.FilePath))
        {
            Malformed++;
            return;
        }
        var raw = Encoding.UTF8.GetString(record.Slice(PathOffset, r.PathLen));
        var path = raw.Length == 0 ? "/" : (r.Flags & FileRecord.FlagUnnormalized) != 0 ? PathText.Normalize(raw) : raw;
        var failed = (r.Flags & FileRecord.FlagFailed) != 0;
        if (!failed) paths.Remember(r.Dev, r.Ino, path);
        if ((OpCode)r.Op != OpCode.FileOpen) return;

        var command = CString(record.Slice(CommOffset, 16));
        if (ignoredProcesses.Contains(command)) return;
        var process = new FileProcess((int)r.Tgid, command, (int)r.Pid, CString(record.Slice(ThreadCommOffset, 16)), r.Uid);
        emit(new FileOpenEvent(clock.ToUnixNanos(r.BootNs), process, path, r.OpenFlags, failed ? 0 : r.Ino,
            failed ? 0 : DeviceNumbers.KernelToStat(r.Dev), failed ? ErrnoNames.Of(r.Error) : null, (r.Flags & FileRecord.FlagTruncated) != 0));
    }

    internal static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
