namespace Ingrain.TestSupport.Kernel;

/// <summary>
/// Where this machine mounts cgroup v2, from <c>/proc/self/mountinfo</c>: <c>/sys/fs/cgroup</c> on a unified system,
/// <c>/sys/fs/cgroup/unified</c> on a hybrid v1/v2 one (this project's machine), null when there is none.
/// </summary>
public static class Cgroup2
{
    public static string? Mount { get; } = FindMount();

    /// <summary>The mount, or a failing exception saying why the test cannot run (first line of a cgroup test).</summary>
    public static string RequireMount() => Mount ?? throw new InvalidOperationException(
        "cgroup test cannot run: no cgroup2 mount in /proc/self/mountinfo" + (KernelRequirements.IsCi ? " (CI is set, so this fails instead of skipping)" : ""));

    /// <summary>This process's cgroup v2 path (the <c>0::</c> line of /proc/self/cgroup), e.g. <c>/</c> or <c>/user.slice/…</c>.</summary>
    public static string OwnPath() =>
        File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..]
        ?? throw new InvalidOperationException("no cgroup v2 line (0::) in /proc/self/cgroup");

    private static string? FindMount()
    {
        if (!File.Exists("/proc/self/mountinfo")) return null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "id parent major:minor root mount-point options [optional…] - fstype source super-options"
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0 || !line[(dash + 3)..].StartsWith("cgroup2 ", StringComparison.Ordinal)) continue;
            return line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal);
        }
        return null;
    }
}

/// <summary>
/// A test that needs a cgroup v2 mount: skipped when the machine has none, except when CI is set — then it runs and
/// fails (call <see cref="Cgroup2.RequireMount"/> first), so CI never passes by skipping.
/// </summary>
public sealed class Cgroup2FactAttribute : Xunit.FactAttribute
{
    public Cgroup2FactAttribute()
    {
        if (Cgroup2.Mount is null && !KernelRequirements.IsCi) Skip = "cgroup test skipped: no cgroup2 mount in /proc/self/mountinfo";
    }
}
