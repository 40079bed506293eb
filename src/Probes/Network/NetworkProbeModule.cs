using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Network;

/// <summary><c>type = network</c>: TCP connections and TCP/UDP volume per process. Every default comes from
/// reference.hocon (<c>ingrain.defaults.probes.network</c>).</summary>
public sealed class NetworkProbeModule : ProbeModule<NetworkProbeOptions>
{
    public override string Name => NetworkProbe.ProbeType;

    public override bool NeedsKernel => true;

    /// <summary>The socket owner map's, and tp_btf programs on the sock length tracepoints.</summary>
    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
    [
        .. SocketOwnerRequirements.All,
        ProbeRequirement.Map("lru_hash"),
        ProbeRequirement.BtfTracepoint("sock/sock_send_length"),
        ProbeRequirement.BtfTracepoint("sock/sock_recv_length"),
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
