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
/// shared socket owner map. Attached on creation; <see cref="RunAsync"/> drains the ring; disposing detaches.
/// </summary>
public sealed class DnsProbe : IProbe
{
    public const string ProbeType = "dns";

    private static readonly TimeSpan HeldCheck = TimeSpan.FromMilliseconds(100);

    // A burst of queries would otherwise pay a wake-up per packet: the reader wakes at 64 KiB or every 50 ms.
    private static readonly RingBufferBatching Batching = new(64 * 1024, TimeSpan.FromMilliseconds(50));

    private readonly BpfObject _object;
    private readonly SocketOwners _owners;
    private readonly DnsDecoder _decoder;
    private readonly Lock _decoderLock = new();
    private readonly KernelCounterPump _pump;
    private readonly KernelProbeRuntime _runtime;
    private readonly long _ownersLostBefore;
    private readonly IDisposable _nameSource;
    private (long Duplicates, long Unowned, long Truncated, long Reassembled, long OwnersLost) _published;

    private DnsProbe(BpfObject obj, SocketOwners owners, IReadOnlyList<BpfLink> links, DnsProbeOptions options, ProbeCounters counters,
        DnsProbeCounters dnsCounters, ILogger? logger)
    {
        _object = obj;
        _owners = owners;
        Links = links;
        Counters = counters;
        DnsCounters = dnsCounters;
        var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), Batching);
        _decoder = new DnsDecoder(new BootClock(), options, cookie => _owners.TryGet(cookie, out var o) ? o : null, ResolvedNames.Shared);
        // While this probe runs, the network probe waits briefly for the names of the connections it reports.
        _nameSource = ResolvedNames.Shared.AddSource();
        // Owners lost before this probe held its lease are not its losses.
        _ownersLostBefore = owners.Lost;
        _pump = new KernelCounterPump(reader, Malformed, counters, () => _published.OwnersLost);
        _runtime = new KernelProbeRuntime(ProbeType, obj, reader, Publish, logger, owners, _nameSource);
    }

    public string Type => ProbeType;

    /// <summary>What this probe read, skipped and lost (totals across restarts).</summary>
    public ProbeCounters Counters { get; }

    /// <summary>The DNS probe's own counters (attached to <see cref="Counters"/> as details by the module).</summary>
    public DnsProbeCounters DnsCounters { get; }

    /// <summary>The capture object's links (the shared owner hooks' are in <see cref="Owners"/>).</summary>
    public IReadOnlyList<BpfLink> Links { get; }

    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    public SocketOwners Owners => _owners;

    /// <summary>Loads the packet capture, joins it to the shared owner map, marks the DNS ports and attaches.</summary>
    /// <param name="dnsCounters">The probe's own counters; pass the previous instance's to keep totals across a restart.</param>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, verifier, cgroup v2).</exception>
    public static DnsProbe Attach(DnsProbeOptions options, ProbeCounters counters, DnsProbeCounters? dnsCounters = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        var owners = SocketOwners.Acquire(logger);
        try
        {
            var (obj, links) = PacketCapture.Attach(owners, Batching, options.Ports, options.IgnoredProcessId);
            logger?.LogInformation("dns probe attached on ports {Ports}: {Links}", string.Join(", ", options.Ports), string.Join(", ", links));
            return new DnsProbe(obj, owners, links, options, counters, dnsCounters ?? new DnsProbeCounters(), logger);
        }
        catch
        {
            owners.Dispose();
            throw;
        }
    }

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Action<Measurement> emit = sink.Emit;
        return _runtime.Run(record =>
        {
            lock (_decoderLock) _decoder.Decode(record, emit);
        }, cancellationToken, token => TimersAsync(emit, token));
    }

    private async Task TimersAsync(Action<Measurement> emit, CancellationToken token)
    {
        using var tick = new PeriodicTimer(HeldCheck);
        try
        {
            while (await tick.WaitForNextTickAsync(token).ConfigureAwait(false))
                lock (_decoderLock) _decoder.Tick(emit);
        }
        catch (OperationCanceledException)
        {
        }
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
                _object.IsDisposed ? _published.OwnersLost : _owners.Lost - _ownersLostBefore);
        DnsCounters.Add(now.Item1 - _published.Duplicates, now.Item2 - _published.Unowned, now.Item3 - _published.Truncated,
            now.Item4 - _published.Reassembled, now.Item5 - _published.OwnersLost);
        _published = now;
        _pump.Publish();
    }

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
