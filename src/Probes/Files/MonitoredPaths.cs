using System.Runtime.InteropServices;

namespace Ingrain.Probes.Files;

/// <summary>
/// What <c>monitor-dirs</c> becomes in the kernel: each path's {dev, ino} (for the walk of an opened file's ancestors)
/// and the hashes of its normalized and canonical (symbolic links resolved) absolute forms (for a failed open, which
/// has no file to walk).
/// </summary>
internal sealed partial record MonitoredPaths(IReadOnlySet<MonitorKey> Keys, IReadOnlySet<ulong> Hashes)
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;

    /// <exception cref="FileNotFoundException">A path does not exist (any more): its name says which.</exception>
    public static MonitoredPaths Resolve(IEnumerable<string> paths)
    {
        var keys = new HashSet<MonitorKey>();
        var hashes = new HashSet<ulong>();
        foreach (var path in paths)
        {
            var key = KeyOf(path) ?? throw new FileNotFoundException($"monitored path {path} does not exist", path);
            keys.Add(key);
            hashes.Add(PathText.Hash(PathText.Normalize(path)));
            if (RealPath(path) is { } canonical) hashes.Add(PathText.Hash(PathText.Normalize(canonical)));
        }
        return new MonitoredPaths(keys, hashes);
    }

    /// <summary>The kernel's identity of a file: statx's device (major, minor → <c>s_dev</c>) and inode.</summary>
    internal static MonitorKey? KeyOf(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0) return null;
        // struct statx: stx_ino at 32, stx_dev_major at 136, stx_dev_minor at 140.
        var ino = BitConverter.ToUInt64(buffer, 32);
        var major = BitConverter.ToUInt32(buffer, 136);
        var minor = BitConverter.ToUInt32(buffer, 140);
        return new MonitorKey((major << 20) | (minor & 0xFFFFF), ino);
    }

    internal static string? RealPath(string path)
    {
        var resolved = RealPathNative(path, 0);
        if (resolved == 0) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);
}
