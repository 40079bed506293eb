using Microsoft.Win32.SafeHandles;

namespace Ingrain.Topology.Security;

/// <summary>
/// Refuses configuration that another local user could change while the agent is privileged (root, or any
/// capability): the configuration names the commands the agent runs, so a world-writable <c>pipeline.hocon</c> would
/// give every local user root command execution. Checked for the configuration file and every file it includes, on
/// start, check-config and reload:
/// <list type="bullet">
/// <item>the file (as opened: no swap between check and read) is owned by root or the agent's user and is not writable by
/// group or others;</item>
/// <item>every directory above it, on the path as written and on the path with links resolved, is owned by root or the
/// agent's user and not writable by group or others, unless it is sticky (like /tmp) and the entry below it is owned by
/// root or the agent's user (then nobody else can rename or replace that entry).</item>
/// </list>
/// An unprivileged agent can only run what its user could run anyway, so nothing is checked then.
/// </summary>
public sealed class ConfigPermissionGuard(bool privileged, uint agentUid)
{
    private const uint GroupOrOtherWrite = 0x12; // 0o022

    /// <summary>The guard for this process.</summary>
    public static ConfigPermissionGuard ForThisProcess() => new(Privilege.IsPrivileged, Posix.EffectiveUserId);

    public bool Enabled => privileged;

    /// <summary>Throws <see cref="ConfigFileRefusedException"/> naming the file (or directory) and the reason when
    /// <paramref name="path"/>, opened as <paramref name="handle"/>, may not be read.</summary>
    public void Check(string path, SafeFileHandle handle)
    {
        if (!privileged) return;
        CheckEntry(path, Posix.Stat(handle), "the configuration file", path);
        CheckDirectories(path, path);
        if (Posix.RealPath(path) is { } real && real != path) CheckDirectories(real, path);
    }

    private void CheckDirectories(string path, string configFile)
    {
        var child = path;
        for (var dir = Path.GetDirectoryName(path); dir is not null; child = dir, dir = Path.GetDirectoryName(dir))
        {
            if (Posix.LinkStat(dir) is not { } status) continue; // a vanished directory fails the read itself
            if (status.IsSymlink)
            {
                // A link's own mode means nothing; who may change it is decided by the directory holding it (checked next).
                if (!Trusted(status.Uid)) throw Refused(configFile, dir, $"is a symbolic link owned by {User(status.Uid)}");
                continue;
            }
            if (!Trusted(status.Uid)) throw Refused(configFile, dir, $"is owned by {User(status.Uid)}, not by root or the agent's user");
            if ((status.Permissions & GroupOrOtherWrite) == 0) continue;
            var below = Posix.LinkStat(child);
            if (status.IsSticky && below is { } b && Trusted(b.Uid)) continue;
            throw Refused(configFile, dir,
                $"is writable by {Writers(status.Permissions)} (mode {Octal(status.Permissions)}), so another user could replace {child}");
        }
    }

    private void CheckEntry(string configFile, FileStatus status, string what, string path)
    {
        if (!Trusted(status.Uid)) throw Refused(configFile, path, $"{what} is owned by {User(status.Uid)}, not by root or the agent's user");
        if ((status.Permissions & GroupOrOtherWrite) != 0)
            throw Refused(configFile, path, $"{what} is writable by {Writers(status.Permissions)} (mode {Octal(status.Permissions)})");
    }

    private bool Trusted(uint uid) => uid == 0 || uid == agentUid;

    private static ConfigFileRefusedException Refused(string configFile, string culprit, string reason)
    {
        var fix = culprit == configFile ? $"chown root and chmod go-w {culprit}" : $"chown root and chmod go-w {culprit}, or move the configuration";
        var subject = culprit == configFile ? "" : $"{culprit} ";
        return new ConfigFileRefusedException(
            $"refused {configFile}: {subject}{reason}; the agent runs privileged and this file decides which commands it runs ({fix})");
    }

    private static string Writers(uint permissions) => (permissions & 0x10, permissions & 0x2) switch
    {
        (not 0, not 0) => "group and others",
        (not 0, 0) => "its group",
        _ => "others",
    };

    private static string Octal(uint permissions) => "0" + Convert.ToString(permissions, 8);

    private static string User(uint uid) => $"user {uid}{UserName(uid)}";

    private static string UserName(uint uid)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && fields[2] == uid.ToString(System.Globalization.CultureInfo.InvariantCulture)) return $" ({fields[0]})";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return "";
    }
}

/// <summary>A configuration file the agent refuses to read (see <see cref="ConfigPermissionGuard"/>, <see cref="ConfigFileOpener"/>).</summary>
public sealed class ConfigFileRefusedException(string message) : IOException(message);
