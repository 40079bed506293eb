using System.Runtime.InteropServices;
using System.Text;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;
using Microsoft.Extensions.Logging;

namespace Ingrain.Native;

/// <summary>
/// The cgroup v2 hierarchy, where cgroup socket programs attach: at its root they see every process. Found through
/// <c>/proc/self/mountinfo</c> (a hybrid v1/v2 system has it at <c>/sys/fs/cgroup/unified</c>, a pure v2 one at
/// <c>/sys/fs/cgroup</c>); mounted at <see cref="FallbackMountPoint"/> when the system has none.
/// </summary>
public static class Cgroup2
{
    public const string FallbackMountPoint = "/run/ingrain/cgroup2";

    private static readonly Lock Gate = new();
    private static string? _root;

    /// <summary>The cgroup v2 root directory, mounting one first if none is mounted (once per process).</summary>
    /// <exception cref="BpfException">No cgroup v2 mount and mounting one failed.</exception>
    public static string Root(ILogger? logger = null)
    {
        lock (Gate)
        {
            if (_root is not null) return _root;
            _root = FindOrMount(File.ReadLines("/proc/self/mountinfo"), FallbackMountPoint, logger);
            return _root;
        }
    }

    /// <summary>
    /// The decision <see cref="Root"/> makes: the cgroup2 mount in <paramref name="mountinfo"/> when there is one,
    /// else cgroup2 mounted at <paramref name="mountPoint"/> (created if missing), which is returned.
    /// </summary>
    /// <exception cref="BpfException">None in <paramref name="mountinfo"/> and mounting one failed.</exception>
    public static string FindOrMount(IEnumerable<string> mountinfo, string mountPoint, ILogger? logger = null) =>
        Find(mountinfo) ?? Mount(mountPoint, logger);

    /// <summary>
    /// The mount point of the cgroup2 file system whose root is the hierarchy's root (a bind mount of a sub-cgroup
    /// does not count), from mountinfo lines; null when there is none.
    /// </summary>
    public static string? Find(IEnumerable<string> mountinfo)
    {
        string? any = null;
        foreach (var line in mountinfo)
        {
            // 36 35 98:0 /root /mount/point rw,relatime shared:1 - cgroup2 cgroup2 rw
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var after = line[(dash + 3)..].Split(' ');
            if (after.Length == 0 || after[0] != "cgroup2") continue;
            var fields = line[..dash].Split(' ');
            if (fields.Length < 5) continue;
            var mountPoint = Unescape(fields[4]);
            if (fields[3] == "/") return mountPoint;
            any ??= mountPoint;
        }
        return any;
    }

    /// <summary>Names of the mounted cgroup v1 controllers among <c>net_cls</c> and <c>net_prio</c>: when either is in
    /// use the kernel turns cgroup v2 socket matching off for the whole system.</summary>
    public static IReadOnlyList<string> NetV1Controllers(IEnumerable<string> mountinfo)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in mountinfo)
        {
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var after = line[(dash + 3)..].Split(' ');
            if (after.Length < 3 || after[0] != "cgroup") continue;
            foreach (var option in after[2].Split(','))
            {
                if (option is "net_cls" or "net_prio") found.Add(option);
            }
        }
        return [.. found];
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                sb.Append((char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
                i += 3;
            }
            else sb.Append(field[i]);
        }
        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static string Mount(string mountPoint, ILogger? logger)
    {
        Directory.CreateDirectory(mountPoint);
        if (LibC.Mount("cgroup2", mountPoint, "cgroup2", 0, 0) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new BpfException(BpfException.Describe($"no cgroup v2 mounted (none in /proc/self/mountinfo); mount cgroup2 at {mountPoint}", errno)
                                   + $". Mount it yourself (mount -t cgroup2 none {mountPoint}) or run as root.", errno);
        }
        logger?.LogInformation("Mounted cgroup2 at {Path}", mountPoint);
        return mountPoint;
    }
}
