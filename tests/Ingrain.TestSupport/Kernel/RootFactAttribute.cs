using Xunit;

namespace Ingrain.TestSupport.Kernel;

/// <summary>
/// A test that must run as root (it changes file owners, mounts a file system, or needs the agent privileged, which
/// is when the permission guard acts). Skipped as another user, except under CI=true: then it runs and fails loudly.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot && !KernelRequirements.IsCi)
            Skip = "needs root (run the tests as root)";
    }

    /// <summary>The effective user id is 0 (the second number of <c>Uid:</c> in /proc/self/status).</summary>
    public static bool IsRoot { get; } = File.ReadLines("/proc/self/status")
        .First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
        .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[2] == "0";

    /// <summary>First line of every root test: fails with a clear message when not root (under CI).</summary>
    public static void Require()
    {
        if (!IsRoot) throw new InvalidOperationException("this test must run as root (CI is set, so it fails instead of skipping)");
    }
}
