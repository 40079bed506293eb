using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Tls;

/// <summary>
/// TLS ClientHellos and ServerHellos of every local socket on any TCP port, both directions, IPv4 and IPv6, with the
/// process, JA3 and JA4 (bpf/packets: the kernel recognises a handshake record on the first payload bytes of a
/// segment). Holds a lease on the shared packet capture, so with the DNS probe a packet is still inspected once.
/// Attached on creation; <see cref="RunAsync"/> takes the TLS records from the capture's reader; disposing gives
/// the lease back.
/// </summary>
public sealed class TlsProbe : IProbe
{
    public const string ProbeType = "tls";

    private readonly PacketCaptureLease _capture;
    private readonly PacketProbeRun _run;

    private TlsProbe(PacketCaptureLease capture, TlsProbeOptions options, ProbeCounters counters, TlsProbeCounters tlsCounters, ILogger? logger)
    {
        _capture = capture;
        Counters = counters;
        TlsCounters = tlsCounters;
        _run = new PacketProbeRun(ProbeType, capture, new TlsDecoder(new BootClock(), options, cookie => Owners.TryGet(cookie, out var o) ? o : null),
            counters, tlsCounters, logger);
    }

    public string Type => ProbeType;

    /// <summary>What this probe read, skipped and lost (totals across restarts).</summary>
    public ProbeCounters Counters { get; }

    /// <summary>The TLS probe's own counters (attached to <see cref="Counters"/> as details by the module).</summary>
    public TlsProbeCounters TlsCounters { get; }

    /// <summary>The shared capture's links: the same as the DNS probe's when both run.</summary>
    public IReadOnlyList<BpfLink> Links => _capture.Links;

    public IReadOnlyCollection<BpfProgram> Programs => _capture.Programs;

    public SocketOwners Owners => _capture.Owners;

    /// <summary>Takes a lease on the shared packet capture (loading it if no probe holds one) with TLS switched on.</summary>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, verifier, cgroup v2).</exception>
    public static TlsProbe Attach(TlsProbeOptions options, ProbeCounters counters, TlsProbeCounters? tlsCounters = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        var capture = PacketCapture.Acquire(new PacketConsumer(PacketAbi.ClassTls, [], options.IgnoredProcessId), logger);
        logger?.LogInformation("tls probe attached (any TCP port): {Links}", string.Join(", ", capture.Links));
        return new TlsProbe(capture, options, counters, tlsCounters ?? new TlsProbeCounters(), logger);
    }

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken) => _run.RunAsync(sink, cancellationToken);

    public ValueTask DisposeAsync() => _run.DisposeAsync();
}
