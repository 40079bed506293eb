using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Dns;

/// <summary><c>type = dns</c>: DNS queries and answers with the process. Every default comes from reference.hocon
/// (<c>ingrain.defaults.probes.dns</c>).</summary>
public sealed class DnsProbeModule : ProbeModule<DnsProbeOptions>
{
    public override string Name => DnsProbe.ProbeType;

    public override bool NeedsKernel => true;

    // The packet capture (cgroup_skb) and the socket owner map it reads.
    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
        [ProbeRequirement.Program("cgroup_skb"), ProbeRequirement.Map("array"), .. SocketOwnerRequirements.All];

    protected override DnsProbeOptions Parse(ConfigSection s)
    {
        var errorsBefore = s.Errors.Count;
        var measurements = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in s.StringList("measurements", required: true))
        {
            if (DnsMeasurements.All.Contains(name)) measurements.Add(name);
            else s.Error("measurements", $"unknown measurement \"{name}\" (known: {string.Join(", ", DnsMeasurements.All)})");
        }
        if (measurements.Count == 0 && s.Errors.Count == errorsBefore) s.Error("measurements", "name at least one measurement");
        var ports = new List<int>();
        var portsBefore = s.Errors.Count;
        foreach (var port in s.DoubleList("ports", 1, 65535))
        {
            if (port != Math.Floor(port)) s.Error("ports", $"a port is a whole number, got {port}");
            else if (!ports.Contains((int)port)) ports.Add((int)port);
        }
        if (ports.Count == 0 && s.Errors.Count == portsBefore) s.Error("ports", "name at least one port");
        var ignored = new HashSet<string>(s.StringList("ignore-processes", required: true), StringComparer.Ordinal);
        // The agent's own lookups (backends resolving their hosts) would otherwise feed back into its output.
        var ignoreSelf = s.Bool("ignore-self");
        var ownerWait = s.Duration("owner-wait", min: TimeSpan.Zero);
        return new DnsProbeOptions(measurements, ports, ignored, ignoreSelf ? Environment.ProcessId : 0, ownerWait);
    }

    protected override IProbe Create(DnsProbeOptions options, ProbeContext context)
    {
        // The probe's own counters outlive a restart, like the common ones.
        var own = context.Counters.Details as DnsProbeCounters ?? new DnsProbeCounters();
        var probe = DnsProbe.Attach(options, context.Counters, own, context.LoggerFactory.CreateLogger<DnsProbe>());
        context.Counters.AttachDetails(own);
        return probe;
    }
}
