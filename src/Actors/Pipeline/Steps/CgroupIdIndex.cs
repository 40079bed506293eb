using System.Runtime.InteropServices;

namespace Ingrain.Actors.Pipeline.Steps;

/// <summary>
/// Maps cgroup v2 ids (what <c>bpf_get_current_cgroup_id()</c> returns: the inode number of the cgroup's directory
/// in the cgroup2 mount) to cgroup paths, by walking the mount. The walk is repeated on a miss, at most once per
/// <c>minRescan</c>, because new containers create new directories. Not thread-safe.
/// </summary>
public sealed class CgroupIdIndex(string cgroupRoot, TimeProvider time, TimeSpan minRescan)
{
    private Dictionary<ulong, string> _paths = new();
    private long? _lastScan;

    /// <summary>The cgroup path (relative to the mount, with a leading '/') of <paramref name="cgroupId"/>, or null.</summary>
    public string? Find(ulong cgroupId)
    {
        if (_paths.TryGetValue(cgroupId, out var path)) return path;
        if (_lastScan is { } last && time.GetElapsedTime(last) < minRescan) return null;
        Rescan();
        return _paths.GetValueOrDefault(cgroupId);
    }

    private void Rescan()
    {
        _lastScan = time.GetTimestamp();
        var paths = new Dictionary<ulong, string>();
        if (Directory.Exists(cgroupRoot))
        {
            var root = Path.GetFullPath(cgroupRoot);
            Add(paths, root, root);
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
            foreach (var dir in Directory.EnumerateDirectories(root, "*", options)) Add(paths, root, dir);
        }
        _paths = paths;
    }

    private static void Add(Dictionary<ulong, string> paths, string root, string dir)
    {
        if (Inode.Of(dir) is not { } ino) return;
        var relative = Path.GetRelativePath(root, dir);
        paths[ino] = relative == "." ? "/" : "/" + relative;
    }
}

/// <summary>Inode numbers through statx(2), whose layout is the same on every architecture.</summary>
internal static partial class Inode
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StxInoOffset = 32;

    public static ulong? Of(string path)
    {
        var buffer = new byte[256];
        return Statx(AtFdCwd, path, 0, StatxIno, buffer) == 0 ? BitConverter.ToUInt64(buffer, StxInoOffset) : null;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
