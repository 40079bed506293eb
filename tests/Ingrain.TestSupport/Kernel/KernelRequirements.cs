using Ingrain.Native;
using Ingrain.Native.Errors;

namespace Ingrain.TestSupport.Kernel;

/// <summary>
/// Whether this machine can run the real-kernel tests: root (or CAP_BPF + CAP_PERFMON), kernel BTF, and
/// libbpf.so.1, checked with the agent's own <see cref="BpfPreflight"/>. <see cref="MissingReason"/> is null when everything is there.
/// </summary>
public static class KernelRequirements
{
    /// <summary>True when the environment variable CI is set: kernel tests must then fail, never skip.</summary>
    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static string? MissingReason { get; } = FindMissing();

    /// <summary>Throws (failing the test) when the kernel tests cannot run here; call first in every kernel test.</summary>
    public static void Require()
    {
        if (MissingReason is { } reason)
            throw new InvalidOperationException($"kernel test cannot run: {reason}" + (IsCi ? " (CI is set, so this fails instead of skipping)" : ""));
    }

    private static string? FindMissing()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (!BpfPreflight.HasBpfPrivileges()) return "needs root or CAP_BPF+CAP_PERFMON (run the tests as root)";
        if (!File.Exists(BpfPreflight.KernelBtfPath)) return $"no kernel BTF at {BpfPreflight.KernelBtfPath}";
        try
        {
            BpfPreflight.RequireLibBpf();
        }
        catch (BpfLibraryMissingException e)
        {
            return e.Message;
        }
        return null;
    }
}
