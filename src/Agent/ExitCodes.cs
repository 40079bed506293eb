using Ingrain.Topology.Configuration;

namespace Ingrain.Agent;

/// <summary>What <c>ingrain run</c>'s exit code says (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The kernel cannot run the probes (privileges, BTF, libbpf): the message says what to do.</summary>
    public const int KernelUnusable = 1;

    /// <summary>The shutdown deadline (<c>shutdown-timeout</c>) was hit.</summary>
    public const int ShutdownTimeout = 1;

    /// <summary>The configuration is invalid (every error printed with file:line:col).</summary>
    public const int ConfigError = 2;

    /// <summary>A probe was not attached when the agent stopped: it ran, but did not monitor what it was told to.</summary>
    public const int ProbeNotAttached = 3;
}
