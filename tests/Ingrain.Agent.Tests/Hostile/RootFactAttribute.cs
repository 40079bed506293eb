using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// A test that must run as root (it changes file owners, or needs the agent privileged, which is when the
/// permission guard acts). Skipped as another user, except under CI=true: then it runs and fails loudly.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "needs root (run the tests as root)";
    }

    public static bool IsRoot => Ingrain.Topology.Security.Posix.EffectiveUserId == 0;

    /// <summary>First line of every root test: fails with a clear message when not root (under CI).</summary>
    public static void Require()
    {
        if (!IsRoot) throw new InvalidOperationException("this test must run as root (CI is set, so it fails instead of skipping)");
    }
}
