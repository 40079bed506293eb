using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>The answer of one feature probe: there, not there (with why), or not known (the probe itself could not run, and why).</summary>
public sealed record FeatureAnswer(bool? Available, string? Reason)
{
    public static readonly FeatureAnswer Yes = new(true, null);

    public static FeatureAnswer No(string reason) => new(false, reason);

    public static FeatureAnswer Unknown(string reason) => new(null, reason);
}

/// <summary>
/// What this kernel can do, asked of the kernel itself: libbpf's <c>libbpf_probe_bpf_prog_type</c> and
/// <c>libbpf_probe_bpf_map_type</c> (they load a trivial program, create a small map), tracefs for tracepoints, the
/// kernel's BTF for <c>tp_btf</c> tracepoints, /proc/self/mountinfo for cgroup v2 — never the kernel's version.
/// </summary>
public static unsafe class KernelFeatures
{
    private static readonly string[] TracefsRoots = [BpfPreflight.TracefsPath, "/sys/kernel/debug/tracing"];

    // enum bpf_prog_type and enum bpf_map_type of linux/bpf.h (stable ABI: values never change).
    private static readonly Dictionary<string, int> ProgramTypes = new(StringComparer.Ordinal)
    {
        ["socket_filter"] = 1, ["kprobe"] = 2, ["sched_cls"] = 3, ["tracepoint"] = 5, ["xdp"] = 6, ["perf_event"] = 7,
        ["cgroup_skb"] = 8, ["cgroup_sock"] = 9, ["sock_ops"] = 13, ["raw_tracepoint"] = 17, ["cgroup_sock_addr"] = 18,
        ["tracing"] = 26, ["lsm"] = 29,
    };

    // Loading these takes CAP_NET_ADMIN besides CAP_BPF.
    private static readonly HashSet<string> NetworkProgramTypes = ["sched_cls", "xdp", "cgroup_skb", "cgroup_sock", "cgroup_sock_addr", "sock_ops"];

    private static readonly Dictionary<string, int> MapTypes = new(StringComparer.Ordinal)
    {
        ["hash"] = 1, ["array"] = 2, ["percpu_hash"] = 5, ["percpu_array"] = 6, ["lru_hash"] = 9, ["lru_percpu_hash"] = 10,
        ["array_of_maps"] = 12, ["hash_of_maps"] = 13, ["sk_storage"] = 24, ["ringbuf"] = 27,
    };

    /// <summary>The program types <see cref="ProgramType"/> knows, by libbpf's names.</summary>
    public static IReadOnlyCollection<string> KnownProgramTypes => ProgramTypes.Keys;

    /// <summary>The map types <see cref="MapType"/> knows, by libbpf's names.</summary>
    public static IReadOnlyCollection<string> KnownMapTypes => MapTypes.Keys;

    public static FeatureAnswer ProgramType(string name) =>
        Probe(name, ProgramTypes, "program type", id => LibBpf.ProbeProgramType(id, null));

    public static FeatureAnswer MapType(string name) =>
        Probe(name, MapTypes, "map type", id => LibBpf.ProbeMapType(id, null));

    private static FeatureAnswer Probe(string name, Dictionary<string, int> ids, string what, Func<int, int> probe)
    {
        if (!ids.TryGetValue(name, out var id)) throw new ArgumentException($"unknown {what} \"{name}\"", nameof(name));
        if (LibraryMissing() is { } missing) return missing;
        // Without the privilege libbpf's probe fails like a missing type would (it answers 0): do not ask.
        if (!BpfPreflight.HasBpfPrivileges()) return FeatureAnswer.Unknown($"probing the {what} needs CAP_BPF and CAP_PERFMON (or root)");
        if (NetworkProgramTypes.Contains(name) && !BpfPreflight.CanAttachCgroupPrograms())
            return FeatureAnswer.Unknown($"probing the {what} needs CAP_NET_ADMIN as well (or root)");
        var result = probe(id);
        return result switch
        {
            > 0 => FeatureAnswer.Yes,
            0 => FeatureAnswer.No($"this kernel has no BPF {what} {name}"),
            -1 or -13 => FeatureAnswer.Unknown($"probing the {what} needs CAP_BPF and CAP_PERFMON (or root)"),
            _ => FeatureAnswer.Unknown(Errors.BpfException.Describe($"probing {what} {name}", -result)),
        };
    }

    /// <summary>A tracepoint (<c>category/name</c>) by its directory in tracefs.</summary>
    public static FeatureAnswer Tracepoint(string categoryAndName)
    {
        foreach (var root in TracefsRoots)
        {
            var events = Path.Combine(root, "events");
            if (!Directory.Exists(events)) continue;
            return Directory.Exists(Path.Combine(events, categoryAndName))
                ? FeatureAnswer.Yes
                : FeatureAnswer.No($"no tracepoint {categoryAndName} in {events}");
        }
        if (!BpfPreflight.CanReadTracefs())
            return FeatureAnswer.Unknown("reading tracefs needs CAP_DAC_READ_SEARCH (or root)");
        return FeatureAnswer.Unknown($"tracefs is not mounted at {BpfPreflight.TracefsPath} (the agent mounts it when it starts as root)");
    }

    /// <summary>A <c>tp_btf</c> tracepoint: the kernel's BTF has <c>btf_trace_&lt;name&gt;</c>.</summary>
    public static FeatureAnswer BtfTracepoint(string categoryAndName)
    {
        if (Btf() is { Available: not true } btf) return btf;
        if (LibraryMissing() is { } missing) return missing;
        var name = categoryAndName[(categoryAndName.IndexOf('/') + 1)..];
        var vmlinux = LibBpf.BtfLoadVmlinux();
        if (vmlinux == 0) return FeatureAnswer.Unknown($"could not read {BpfPreflight.KernelBtfPath}");
        try
        {
            return LibBpf.BtfFindByNameKind(vmlinux, "btf_trace_" + name, LibBpf.BtfKindTypedef) > 0
                ? FeatureAnswer.Yes
                : FeatureAnswer.No($"the kernel's BTF has no btf_trace_{name} (no BTF tracepoint {name})");
        }
        finally
        {
            LibBpf.BtfFree(vmlinux);
        }
    }

    public static FeatureAnswer Btf() => File.Exists(BpfPreflight.KernelBtfPath)
        ? FeatureAnswer.Yes
        : FeatureAnswer.No($"no kernel BTF at {BpfPreflight.KernelBtfPath} (a kernel built without CONFIG_DEBUG_INFO_BTF)");

    public static FeatureAnswer CgroupV2() => Cgroup2.Find(File.ReadLines("/proc/self/mountinfo")) is not null
        ? FeatureAnswer.Yes
        : FeatureAnswer.No("no cgroup2 mount in /proc/self/mountinfo");

    /// <summary>A capability (<c>CAP_BPF</c>) in the process's effective set; root counts as having every one.</summary>
    public static FeatureAnswer Capability(string name)
    {
        if (!Capabilities.TryGetValue(name, out var bit)) throw new ArgumentException($"unknown capability \"{name}\"", nameof(name));
        return BpfPreflight.HasCapability(bit)
            ? FeatureAnswer.Yes
            : FeatureAnswer.No($"the agent's process does not have {name}");
    }

    private static readonly Dictionary<string, int> Capabilities = new(StringComparer.Ordinal)
    {
        ["CAP_DAC_OVERRIDE"] = 1, ["CAP_DAC_READ_SEARCH"] = 2, ["CAP_NET_BIND_SERVICE"] = 10, ["CAP_NET_ADMIN"] = 12,
        ["CAP_NET_RAW"] = 13, ["CAP_SYS_ADMIN"] = 21, ["CAP_SYS_RESOURCE"] = 24, ["CAP_PERFMON"] = 38, ["CAP_BPF"] = 39,
    };

    /// <summary>libbpf's version, <c>major.minor</c>, from the library itself; null when it is missing.</summary>
    public static string? LibBpfVersion() => LibraryMissing() is null ? $"{LibBpf.MajorVersion()}.{LibBpf.MinorVersion()}" : null;

    private static FeatureAnswer? LibraryMissing()
    {
        try
        {
            BpfPreflight.RequireLibBpf();
            return null;
        }
        catch (Errors.BpfLibraryMissingException e)
        {
            return FeatureAnswer.Unknown(e.Message);
        }
    }
}
