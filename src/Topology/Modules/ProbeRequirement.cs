namespace Ingrain.Topology.Modules;

/// <summary>What a probe needs of the kernel or of the process, checked by a feature probe (never by the kernel's version).</summary>
public enum RequirementKind
{
    /// <summary>A BPF program type (<c>tracepoint</c>, <c>raw_tracepoint</c>, <c>cgroup_sock_addr</c>, …): libbpf loads a trivial one.</summary>
    ProgramType,

    /// <summary>A BPF map type (<c>ringbuf</c>, <c>lru_hash</c>, …): libbpf creates a small one.</summary>
    MapType,

    /// <summary>A tracepoint, <c>category/name</c>: its directory in tracefs.</summary>
    Tracepoint,

    /// <summary>A raw tracepoint, named by its tracepoint <c>category/name</c> (attached by the name alone): tracefs.</summary>
    RawTracepoint,

    /// <summary>A BTF-typed tracepoint (<c>tp_btf</c>), <c>category/name</c>: the <c>btf_trace_&lt;name&gt;</c> type in the kernel's BTF.</summary>
    BtfTracepoint,

    /// <summary>A cgroup v2 hierarchy: a cgroup2 mount in /proc/self/mountinfo.</summary>
    Cgroup2,

    /// <summary>The kernel's BTF (<c>/sys/kernel/btf/vmlinux</c>), for CO-RE.</summary>
    Btf,

    /// <summary>A capability of the process (<c>CAP_BPF</c>): its bit in CapEff (root has them all). Not the kernel's.</summary>
    Capability,
}

/// <summary>One thing a probe type needs, as data (<see cref="IProbeModule.Requirements"/>); <c>ingrain probes</c> checks each.</summary>
public sealed record ProbeRequirement(RequirementKind Kind, string Name)
{
    public static ProbeRequirement Program(string type) => new(RequirementKind.ProgramType, type);

    public static ProbeRequirement Map(string type) => new(RequirementKind.MapType, type);

    public static ProbeRequirement Tracepoint(string categoryAndName) => new(RequirementKind.Tracepoint, categoryAndName);

    public static ProbeRequirement RawTracepoint(string categoryAndName) => new(RequirementKind.RawTracepoint, categoryAndName);

    public static ProbeRequirement BtfTracepoint(string categoryAndName) => new(RequirementKind.BtfTracepoint, categoryAndName);

    public static ProbeRequirement Capability(string name) => new(RequirementKind.Capability, name);

    public static readonly ProbeRequirement CgroupV2 = new(RequirementKind.Cgroup2, "cgroup2");

    public static readonly ProbeRequirement KernelBtf = new(RequirementKind.Btf, "/sys/kernel/btf/vmlinux");

    /// <summary>True for what the kernel has or not; false for a capability (the process's, which a service unit grants).</summary>
    public bool OfTheKernel => Kind != RequirementKind.Capability;

    public override string ToString() => Kind switch
    {
        RequirementKind.ProgramType => $"program type {Name}",
        RequirementKind.MapType => $"map type {Name}",
        RequirementKind.Tracepoint => $"tracepoint {Name}",
        RequirementKind.RawTracepoint => $"raw tracepoint {Name[(Name.IndexOf('/') + 1)..]}",
        RequirementKind.BtfTracepoint => $"tp_btf {Name[(Name.IndexOf('/') + 1)..]}",
        RequirementKind.Cgroup2 => "cgroup v2",
        RequirementKind.Btf => "kernel BTF",
        _ => Name,
    };
}
