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

    private static readonly TimeSpan HeldCheck = TimeSpan.FromMilliseconds(100);

    private readonly PacketCaptureLease _capture;
    private readonly DnsDecoder _decoder;
    private readonly Lock _decoderLock = new();
    private readonly KernelCounterPump _pump;
    private readonly KernelProbeRuntime _runtime;
    private readonly long _ownersLostBefore;
    private readonly IDisposable _nameSource;
    private (long Duplicates, long Unowned, long Truncated, long Reassembled, long OwnersLost) _published;

    private DnsProbe(PacketCaptureLease capture, DnsProbeOptions options, ProbeCounters counters, DnsProbeCounters dnsCounters, ILogger? logger)
    {
        _capture = capture;
        Counters = counters;
        DnsCounters = dnsCounters;
        _decoder = new DnsDecoder(new BootClock(), options, cookie => Owners.TryGet(cookie, out var o) ? o : null, ResolvedNames.Shared);
        // While this probe runs, the network probe waits briefly for the names of the connections it reports.
        _nameSource = ResolvedNames.Shared.AddSource();
        // Owners lost before this probe held its lease are not its losses.
        _ownersLostBefore = Owners.Lost;
        _pump = new KernelCounterPump(null, Malformed, counters, () => _capture.KernelLost + _published.OwnersLost, () => _capture.HandlerFailures);
        _runtime = new KernelProbeRuntime(ProbeType, capture, null, Publish, logger, _nameSource);
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

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Action<Measurement> emit = sink.Emit;
        return _runtime.Run(null, cancellationToken, token => TimersAsync(emit, token));
    }

    // The records come from the shared capture's reader while subscribed; the timers run beside them.
    private async Task TimersAsync(Action<Measurement> emit, CancellationToken token)
    {
        _capture.Subscribe(record =>
        {
            lock (_decoderLock) _decoder.Decode(record, emit);
        });
        using var tick = new PeriodicTimer(HeldCheck);
        try
        {
            while (await tick.WaitForNextTickAsync(token).ConfigureAwait(false))
                lock (_decoderLock) _decoder.Tick(emit);
        }
        catch (OperationCanceledException)
        {
        }
        _capture.Unsubscribe();
        lock (_decoderLock) _decoder.Tick(emit, all: true);
    }

    private long Malformed()
    {
        lock (_decoderLock) return _decoder.Malformed;
    }

    // The runtime's publish loop and the end of a run publish, never at once.
    private void Publish()
    {
        (long, long, long, long, long) now;
        lock (_decoderLock)
            now = (_decoder.Duplicates, _decoder.Unowned, _decoder.Truncated, _decoder.Reassembled,
                _capture.IsDisposed ? _published.OwnersLost : Owners.Lost - _ownersLostBefore);
        DnsCounters.Add(now.Item1 - _published.Duplicates, now.Item2 - _published.Unowned, now.Item3 - _published.Truncated,
            now.Item4 - _published.Reassembled, now.Item5 - _published.OwnersLost);
        _published = now;
        _pump.Publish();
    }

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
