using Ingrain.Topology.Security;

namespace Ingrain.Backends.Files;

/// <summary>
/// Whether the file backend will be able to create or append to its path, decided without touching the disk (check-config
/// has no side effects): an existing path must be a regular file or a character device such as /dev/null (not a
/// directory, not a symbolic link: the writer never follows links) that this process may write; a missing one needs its nearest existing ancestor to be a writable
/// directory on a filesystem that holds regular files (not /proc, /sys and the like, where every mkdir fails).
/// </summary>
public static class OutputPathCheck
{
    private static readonly Dictionary<long, string> PseudoFileSystems = new()
    {
        [0x9fa0] = "proc",
        [0x62656572] = "sysfs",
        [0x27e0eb] = "cgroup",
        [0x63677270] = "cgroup2",
        [0x64626720] = "debugfs",
        [0x74726163] = "tracefs",
        [0x73636673] = "securityfs",
        [0xcafe4a11] = "bpf",
        [0x1cd1] = "devpts",
        [0x62656570] = "configfs",
        [0x6e736673] = "nsfs",
    };

    /// <summary>Why files cannot be created in the directory <paramref name="path"/> (created if missing), or null when they can.</summary>
    public static string? DirectoryProblem(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"\"{path}\" is not a usable path ({e.Message})";
        }
        if (Posix.LinkStat(full) is not { } existing) return Problem(full); // created like a file's missing ancestors
        if (existing.IsSymlink) return $"{full} is a symbolic link; the file backend never follows links (point path at the real directory)";
        if (!existing.IsDirectory) return $"{full} is {existing.Kind}, not a directory (encoding = parquet writes a directory of files)";
        return Posix.CanWrite(full) ? null : $"{full} is not writable by the agent's user";
    }

    /// <summary>Why <paramref name="path"/> cannot be written, or null when it can.</summary>
    public static string? Problem(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"\"{path}\" is not a usable path ({e.Message})";
        }
        if (Posix.LinkStat(full) is { } existing)
        {
            if (existing.IsSymlink) return $"{full} is a symbolic link; the file backend never follows links (point path at the real file)";
            if (!existing.IsRegular && !existing.IsCharacterDevice) return $"{full} is {existing.Kind}, not a regular file";
            return Posix.CanWrite(full) ? null : $"{full} is not writable by the agent's user";
        }
        var ancestor = Path.GetDirectoryName(full);
        while (ancestor is not null && Posix.LinkStat(ancestor) is null) ancestor = Path.GetDirectoryName(ancestor);
        if (ancestor is null) return null;
        var what = $"{full} cannot be created";
        var status = Posix.LinkStat(ancestor)!.Value;
        if (status.IsSymlink && Posix.RealPath(ancestor) is { } target && Posix.LinkStat(target) is { } t) status = t;
        if (!status.IsDirectory) return $"{what}: {ancestor} is {status.Kind}, not a directory";
        if (Posix.FileSystemType(ancestor) is { } type && PseudoFileSystems.TryGetValue(type, out var name))
            return $"{what}: {ancestor} is on a {name} filesystem, which holds no regular files";
        return Posix.CanWrite(ancestor) ? null : $"{what}: {ancestor} is not writable by the agent's user";
    }
}
