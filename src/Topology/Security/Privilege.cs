namespace Ingrain.Topology.Security;

/// <summary>
/// Whether this process is privileged: effective user root, or any effective capability (CapEff in
/// /proc/self/status). A privileged agent must not read configuration that another local user could change, since
/// the configuration decides which commands it runs.
/// </summary>
public static class Privilege
{
    public static bool IsPrivileged => Posix.EffectiveUserId == 0 || EffectiveCapabilities() != 0;

    /// <summary>The effective capability set, 0 when none. When /proc cannot tell, every bit is set: unknown counts as
    /// privileged, so the checks stay on.</summary>
    public static ulong EffectiveCapabilities()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                    return Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
        }
        return ulong.MaxValue;
    }
}
