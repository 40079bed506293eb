using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;
using Microsoft.Extensions.Logging;

namespace Ingrain.Native;

/// <summary>What <see cref="BpfPreflight.Run"/> found and did.</summary>
public sealed record PreflightReport(Version Kernel, bool MountedTracefs, bool MountedBpffs, bool RaisedMemlock);

/// <summary>
/// Start-up checks before any BPF object is loaded: privileges, kernel version, kernel BTF, libbpf.so.1, tracefs and bpffs
/// mounted (mounting them when missing), and RLIMIT_MEMLOCK raised (kernels before 5.11 charge BPF maps to it).
/// </summary>
public static unsafe class BpfPreflight
{
    public const string KernelBtfPath = "/sys/kernel/btf/vmlinux";
    public const string TracefsPath = "/sys/kernel/tracing";
    public const string BpffsPath = "/sys/fs/bpf";

    /// <summary>Ring buffers (5.8) are the oldest feature every probe needs; CAP_BPF arrived in the same release.</summary>
    public static readonly Version MinimumKernel = new(5, 8);

    private const int CapDacOverride = 1, CapDacReadSearch = 2, CapNetAdmin = 12, CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

    /// <exception cref="BpfPermissionException">Neither root nor CAP_BPF + CAP_PERFMON.</exception>
    /// <exception cref="BpfKernelTooOldException">Kernel older than <see cref="MinimumKernel"/>.</exception>
    /// <exception cref="BpfBtfMissingException">No <see cref="KernelBtfPath"/>.</exception>
    /// <exception cref="BpfLibraryMissingException">No <see cref="LibBpfLibrary"/>.</exception>
    public static PreflightReport Run(ILogger? logger = null)
    {
        if (!HasBpfPrivileges()) throw new BpfPermissionException("start the agent");
        var kernel = KernelVersion();
        if (kernel < MinimumKernel) throw new BpfKernelTooOldException("Ingrain's BPF ring buffers", MinimumKernel, kernel.ToString());
        if (!File.Exists(KernelBtfPath)) throw new BpfBtfMissingException(KernelBtfPath);
        RequireLibBpf();
        LibBpfLog.Ensure();

        var tracefs = EnsureMounted("tracefs", TracefsPath, logger);
        var bpffs = EnsureMounted("bpf", BpffsPath, logger);
        var memlock = RaiseMemlock(kernel, logger);
        return new PreflightReport(kernel, tracefs, bpffs, memlock);
    }

    /// <summary>The shared library every libbpf call binds to.</summary>
    public const string LibBpfLibrary = LibBpf.Lib;

    /// <summary>Checks that <see cref="LibBpfLibrary"/> can be loaded, so that a missing library is a typed error
    /// rather than a <see cref="DllNotFoundException"/> from the first libbpf call.</summary>
    /// <exception cref="BpfLibraryMissingException">The library cannot be loaded.</exception>
    public static void RequireLibBpf() => RequireLibrary(LibBpfLibrary);

    internal static void RequireLibrary(string name)
    {
        if (!NativeLibrary.TryLoad(name, out var handle)) throw new BpfLibraryMissingException(name);
        NativeLibrary.Free(handle);
    }

    /// <summary>Root (effective uid 0), CAP_SYS_ADMIN, or both CAP_BPF and CAP_PERFMON.</summary>
    public static bool HasBpfPrivileges()
    {
        if (LibC.GetEuid() == 0) return true;
        var caps = EffectiveCapabilities();
        bool Has(int cap) => (caps & (1UL << cap)) != 0;
        return Has(CapSysAdmin) || (Has(CapBpf) && Has(CapPerfmon));
    }

    /// <summary>Root, or a capability that lets the agent read tracefs (mode 0700 root): CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE.</summary>
    public static bool CanReadTracefs() => LibC.GetEuid() == 0 || HasAny(CapDacReadSearch, CapDacOverride);

    /// <summary>Root, CAP_NET_ADMIN or CAP_SYS_ADMIN: what loading and attaching cgroup socket programs takes.</summary>
    public static bool CanAttachCgroupPrograms() => LibC.GetEuid() == 0 || HasAny(CapNetAdmin, CapSysAdmin);

    /// <summary>Root, or capability number <paramref name="cap"/> in the effective set.</summary>
    public static bool HasCapability(int cap) => LibC.GetEuid() == 0 || HasAny(cap);

    private static bool HasAny(params int[] caps)
    {
        var effective = EffectiveCapabilities();
        return caps.Any(cap => (effective & (1UL << cap)) != 0);
    }

    /// <summary>The running kernel's version (major.minor.patch of <c>uname -r</c>).</summary>
    public static Version KernelVersion()
    {
        var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var numeric = new string(release.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).TrimEnd('.');
        return Version.TryParse(numeric.Count(c => c == '.') == 0 ? numeric + ".0" : numeric, out var v) ? v : new Version(0, 0);
    }

    /// <summary>Whether a filesystem of <paramref name="type"/> is mounted at <paramref name="path"/> (per /proc/self/mounts).</summary>
    public static bool IsMounted(string type, string path) =>
        File.ReadLines("/proc/self/mounts").Select(l => l.Split(' ')).Any(f => f.Length > 2 && f[1] == path && f[2] == type);

    private static bool EnsureMounted(string type, string path, ILogger? logger)
    {
        if (IsMounted(type, path)) return false;
        if (LibC.Mount(type, path, type, 0, 0) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == 16 /* EBUSY: mounted meanwhile */) return false;
            throw new BpfException(BpfException.Describe($"mount {type} at {path}", errno) +
                                   $". Mount it yourself (mount -t {type} {type} {path}) or run as root.", errno);
        }
        logger?.LogInformation("Mounted {Type} at {Path}", type, path);
        return true;
    }

    private static bool RaiseMemlock(Version kernel, ILogger? logger)
    {
        LibC.Rlimit limit;
        if (LibC.GetRlimit(LibC.RLIMIT_MEMLOCK, &limit) != 0 || limit.Current == ulong.MaxValue) return false;
        var infinity = new LibC.Rlimit { Current = ulong.MaxValue, Max = ulong.MaxValue };
        if (LibC.SetRlimit(LibC.RLIMIT_MEMLOCK, &infinity) == 0) return true;
        // Without CAP_SYS_RESOURCE (e.g. in a container) the hard limit stays; raise the soft one to it.
        var toHard = new LibC.Rlimit { Current = limit.Max, Max = limit.Max };
        var raised = limit.Max > limit.Current && LibC.SetRlimit(LibC.RLIMIT_MEMLOCK, &toHard) == 0;
        // Kernels >= 5.11 charge BPF memory to the memory cgroup instead, so the limit only matters before that.
        if (kernel < MemcgAccounting)
            logger?.LogWarning("Could not lift RLIMIT_MEMLOCK (hard limit {Max} bytes); BPF maps may fail to load", limit.Max);
        return raised;
    }

    private static readonly Version MemcgAccounting = new(5, 11);

    private static ulong EffectiveCapabilities()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                return Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        }
        return 0;
    }
}
