namespace Ingrain.Probes.Sockets;

/// <summary>
/// What the shared socket owner map's programs need (bpf/sockets: cgroup socket programs at the cgroup v2 root,
/// tracepoints on accept, a tp_btf program on inet_sock_set_state), for every probe that reads the map to declare.
/// A tp_btf program is checked by its BTF type, not by libbpf's "tracing" probe, which loads an fentry program (a
/// kernel may have tp_btf and no fentry, as 6.18 here does).
/// </summary>
public static class SocketOwnerRequirements
{
    public static IReadOnlyList<ProbeRequirement> All { get; } =
    [
        ProbeRequirement.Program("tracepoint"),
        ProbeRequirement.Program("cgroup_sock"),
        ProbeRequirement.Program("cgroup_sock_addr"),
        ProbeRequirement.Map("ringbuf"),
        ProbeRequirement.Map("hash"),
        ProbeRequirement.Map("percpu_array"),
        ProbeRequirement.BtfTracepoint("sock/inet_sock_set_state"),
        ProbeRequirement.Tracepoint("syscalls/sys_exit_accept4"),
        ProbeRequirement.Tracepoint("syscalls/sys_exit_accept"),
        ProbeRequirement.CgroupV2,
        ProbeRequirement.KernelBtf,
        ProbeRequirement.Capability("CAP_BPF"),
        ProbeRequirement.Capability("CAP_PERFMON"),
        ProbeRequirement.Capability("CAP_NET_ADMIN"),
        ProbeRequirement.Capability("CAP_DAC_READ_SEARCH"),
    ];
}
