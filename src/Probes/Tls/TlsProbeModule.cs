using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Tls;

/// <summary><c>type = tls</c>: ClientHellos and ServerHellos on any TCP port with the process and JA3/JA4. Every default
/// comes from reference.hocon (<c>ingrain.defaults.probes.tls</c>).</summary>
public sealed class TlsProbeModule : ProbeModule<TlsProbeOptions>
{
    public override string Name => TlsProbe.ProbeType;

    public override bool NeedsKernel => true;

    // The shared packet capture (cgroup_skb, its pending-hello LRU map) and the socket owner map it reads.
    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
        [ProbeRequirement.Program("cgroup_skb"), ProbeRequirement.Map("array"), ProbeRequirement.Map("lru_hash"), .. SocketOwnerRequirements.All];

    protected override TlsProbeOptions Parse(ConfigSection s)
    {
        var serverHellos = s.Bool("server-hellos");
        var ignored = new HashSet<string>(s.StringList("ignore-processes", required: true), StringComparer.Ordinal);
        // The agent's own TLS (backends over HTTPS) would otherwise feed back into its output.
        var ignoreSelf = s.Bool("ignore-self");
        var ownerWait = s.Duration("owner-wait", min: TimeSpan.Zero);
        return new TlsProbeOptions(serverHellos, ignored, ignoreSelf ? Environment.ProcessId : 0, ownerWait);
    }

    protected override IProbe Create(TlsProbeOptions options, ProbeContext context)
    {
        // The probe's own counters outlive a restart, like the common ones.
        var own = context.Counters.Details as TlsProbeCounters ?? new TlsProbeCounters();
        var probe = TlsProbe.Attach(options, context.Counters, own, context.LoggerFactory.CreateLogger<TlsProbe>());
        context.Counters.AttachDetails(own);
        return probe;
    }
}
