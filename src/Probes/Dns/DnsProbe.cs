using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Names;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Dns;

/// <summary>
/// DNS queries and answers of every local socket, both directions, UDP and TCP, IPv4 and IPv6, with the process
/// (bpf/packets: cgroup_skb egress and ingress at the cgroup v2 root, owner by socket cookie). Holds a lease on the
/// shared packet capture (which holds one on the socket owner map). Attached on creation; <see cref="RunAsync"/>
/// takes the DNS records from the capture's reader; disposing gives the lease back.
/// </summary>
public sealed class DnsProbe : IProbe
{
    public const string ProbeType = "dns";

    private readonly PacketCaptureLease _capture;
    private readonly PacketProbeRun _run;

    private DnsProbe(PacketCaptureLease capture, DnsProbeOptions options, ProbeCounters counters, DnsProbeCounters dnsCounters, ILogger? logger)
    {
        _capture = capture;
        Counters = counters;
        DnsCounters = dnsCounters;
        var decoder = new DnsDecoder(new BootClock(), options, cookie => Owners.TryGet(cookie, out var o) ? o : null, ResolvedNames.Shared);
        // While this probe runs, the network probe waits briefly for the names of the connections it reports.
        _run = new PacketProbeRun(ProbeType, capture, decoder, counters, dnsCounters, logger, ResolvedNames.Shared.AddSource());
    }

    public string Type => ProbeType;

    /// <summary>What this probe read, skipped and lost (totals across restarts).</summary>
    public ProbeCounters Counters { get; }

    /// <summary>The DNS probe's own counters (attached to <see cref="Counters"/> as details by the module).</summary>
    public DnsProbeCounters DnsCounters { get; }

    /// <summary>The shared capture's links (the same for every probe holding a lease; the owner hooks' are in <see cref="Owners"/>).</summary>
    public IReadOnlyList<BpfLink> Links => _capture.Links;

    public IReadOnlyCollection<BpfProgram> Programs => _capture.Programs;

    public SocketOwners Owners => _capture.Owners;

    /// <summary>Takes a lease on the shared packet capture (loading it if no probe holds one) with the DNS ports marked.</summary>
    /// <param name="dnsCounters">The probe's own counters; pass the previous instance's to keep totals across a restart.</param>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, verifier, cgroup v2).</exception>
    public static DnsProbe Attach(DnsProbeOptions options, ProbeCounters counters, DnsProbeCounters? dnsCounters = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        var capture = PacketCapture.Acquire(new PacketConsumer(PacketAbi.ClassDns, options.Ports, options.IgnoredProcessId), logger);
        logger?.LogInformation("dns probe attached on ports {Ports}: {Links}", string.Join(", ", options.Ports), string.Join(", ", capture.Links));
        return new DnsProbe(capture, options, counters, dnsCounters ?? new DnsProbeCounters(), logger);
    }

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken) => _run.RunAsync(sink, cancellationToken);

    public ValueTask DisposeAsync() => _run.DisposeAsync();
}
