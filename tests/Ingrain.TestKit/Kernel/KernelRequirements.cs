using System.Runtime.InteropServices;

namespace Ingrain.TestKit.Kernel;

/// <summary>
/// Whether this machine can run the real-kernel tests: root (or CAP_BPF + CAP_PERFMON), kernel BTF, and
/// libbpf.so.1. <see cref="MissingReason"/> is null when everything is there.
/// </summary>
public static class KernelRequirements
{
    private const int CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

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
        if (!HasPrivileges()) return "needs root or CAP_BPF+CAP_PERFMON (run the tests as root)";
        if (!File.Exists("/sys/kernel/btf/vmlinux")) return "no kernel BTF at /sys/kernel/btf/vmlinux";
        if (!NativeLibrary.TryLoad("libbpf.so.1", out var handle)) return "libbpf.so.1 not found (run make setup)";
        NativeLibrary.Free(handle);
        return null;
    }

    private static bool HasPrivileges()
    {
        ulong caps = 0;
        var euid = -1L;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
                euid = long.Parse(line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[2]);
            else if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                caps = Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        }
        bool Has(int cap) => (caps & (1UL << cap)) != 0;
        return euid == 0 || Has(CapSysAdmin) || (Has(CapBpf) && Has(CapPerfmon));
    }
}
