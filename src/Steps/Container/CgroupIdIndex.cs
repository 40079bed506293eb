using System.Runtime.InteropServices;

namespace Ingrain.Steps.Container;

/// <summary>
/// Maps cgroup v2 ids (what <c>bpf_get_current_cgroup_id()</c> returns: the inode number of the cgroup's directory
/// in the cgroup2 mount) to cgroup paths, by walking the mount. The walk runs on the caller's (the step's actor)
/// thread, so it is bounded three ways: at most once per <c>minRescan</c>; an id still unknown after a walk is
/// remembered as a miss for <c>missTtl</c> and starts no walk until then (ids of removed cgroups and of
/// cgroups outside the mount keep coming); and the walk goes no deeper than <c>maxDepth</c> levels below the root.
/// A walk is still triggered by the first event of a new container, whose directory is new. Not thread-safe.
/// </summary>
public sealed class CgroupIdIndex(string cgroupRoot, TimeProvider time, TimeSpan minRescan, TimeSpan missTtl, int maxDepth = CgroupIdIndex.DefaultMaxDepth)
{
    /// <summary>Deep enough for kubepods (QoS slice, pod slice, container scope) and a nested runtime below it.</summary>
    public const int DefaultMaxDepth = 8;

    private const int MissLimit = 4096;

    private Dictionary<ulong, string> _paths = new();
    private readonly Dictionary<ulong, long> _missedAt = new();
    private long? _lastScan;

    public CgroupIdIndex(string cgroupRoot, TimeProvider time, TimeSpan minRescan) : this(cgroupRoot, time, minRescan, TimeSpan.FromMinutes(1)) { }

    /// <summary>How many times the mount was walked.</summary>
    public long Scans { get; private set; }

    /// <summary>The cgroup path (relative to the mount, with a leading '/') of <paramref name="cgroupId"/>, or null.</summary>
    public string? Find(ulong cgroupId)
    {
        if (_paths.TryGetValue(cgroupId, out var path)) return path;
        if (_missedAt.TryGetValue(cgroupId, out var missed) && time.GetElapsedTime(missed) < missTtl) return null;
        if (_lastScan is { } last && time.GetElapsedTime(last) < minRescan) return null;
        Rescan();
        if (_paths.TryGetValue(cgroupId, out path))
        {
            _missedAt.Remove(cgroupId);
            return path;
        }
        if (_missedAt.Count >= MissLimit) _missedAt.Clear();
        _missedAt[cgroupId] = time.GetTimestamp();
        return null;
    }

    private void Rescan()
    {
        _lastScan = time.GetTimestamp();
        Scans++;
        var paths = new Dictionary<ulong, string>();
        if (Directory.Exists(cgroupRoot))
        {
            var root = Path.GetFullPath(cgroupRoot);
            Add(paths, root, root);
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = true,
                MaxRecursionDepth = maxDepth - 1, // depth 1 = the root's children, which are always listed
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.ReparsePoint,
            };
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
