using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Network;

/// <summary><c>type = network</c>: TCP connections and TCP/UDP volume per process. Every default comes from
/// reference.hocon (<c>ingrain.defaults.probes.network</c>).</summary>
public sealed class NetworkProbeModule : ProbeModule<NetworkProbeOptions>
{
    public override string Name => NetworkProbe.ProbeType;

    public override bool NeedsKernel => true;

    /// <summary>
    /// tp_btf programs on the sock tracepoints, tracepoints on accept, cgroup socket programs at the cgroup v2 root. A
    /// tp_btf program is checked by its BTF type, not by libbpf's "tracing" probe, which loads an fentry program (a
    /// kernel may have tp_btf and no fentry, as 6.18 here does).
    /// </summary>
    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
    [
        ProbeRequirement.Program("tracepoint"),
        ProbeRequirement.Program("cgroup_sock"),
        ProbeRequirement.Program("cgroup_sock_addr"),
        ProbeRequirement.Map("ringbuf"),
        ProbeRequirement.Map("hash"),
        ProbeRequirement.Map("lru_hash"),
        ProbeRequirement.Map("percpu_array"),
        ProbeRequirement.BtfTracepoint("sock/inet_sock_set_state"),
        ProbeRequirement.BtfTracepoint("sock/sock_send_length"),
        ProbeRequirement.BtfTracepoint("sock/sock_recv_length"),
        ProbeRequirement.Tracepoint("syscalls/sys_exit_accept4"),
        ProbeRequirement.Tracepoint("syscalls/sys_exit_accept"),
        ProbeRequirement.CgroupV2,
        ProbeRequirement.KernelBtf,
        ProbeRequirement.Capability("CAP_BPF"),
        ProbeRequirement.Capability("CAP_PERFMON"),
        ProbeRequirement.Capability("CAP_NET_ADMIN"),
        ProbeRequirement.Capability("CAP_DAC_READ_SEARCH"),
    ];

    protected override NetworkProbeOptions Parse(ConfigSection s)
    {
        var errorsBefore = s.Errors.Count;
        var measurements = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in s.StringList("measurements", required: true))
        {
            if (NetworkMeasurements.All.Contains(name)) measurements.Add(name);
            else s.Error("measurements", $"unknown measurement \"{name}\" (known: {string.Join(", ", NetworkMeasurements.All)})");
        }
        if (measurements.Count == 0 && s.Errors.Count == errorsBefore) s.Error("measurements", "name at least one measurement");
        var interval = s.Duration("volume-interval", min: TimeSpan.FromMilliseconds(100));
        var ignored = new HashSet<string>(s.StringList("ignore-processes", required: true), StringComparer.Ordinal);
        // The agent's own traffic (backends, the exec step's commands) would otherwise feed back into its output.
        var ignoreSelf = s.Bool("ignore-self");
        var ownerWait = s.Duration("owner-wait", min: TimeSpan.Zero);
        return new NetworkProbeOptions(measurements, interval, ignored, ignoreSelf ? Environment.ProcessId : 0, ownerWait);
    }

    protected override IProbe Create(NetworkProbeOptions options, ProbeContext context)
    {
        // The probe's own counters outlive a restart, like the common ones: a restarted probe adds to the same set.
        var own = context.Counters.Details as NetworkProbeCounters ?? new NetworkProbeCounters();
        var probe = NetworkProbe.Attach(options, context.Counters, own, context.LoggerFactory.CreateLogger<NetworkProbe>());
        context.Counters.AttachDetails(own);
        return probe;
    }
}
