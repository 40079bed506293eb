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

    private static readonly TimeSpan HeldCheck = TimeSpan.FromMilliseconds(100);

    private readonly PacketCaptureLease _capture;
    private readonly TlsDecoder _decoder;
    private readonly Lock _decoderLock = new();
    private readonly KernelCounterPump _pump;
    private readonly KernelProbeRuntime _runtime;
    private readonly long _ownersLostBefore;
    private (long Duplicates, long Unowned, long Truncated, long Reassembled, long OwnersLost) _published;

    private TlsProbe(PacketCaptureLease capture, TlsProbeOptions options, ProbeCounters counters, TlsProbeCounters tlsCounters, ILogger? logger)
    {
        _capture = capture;
        Counters = counters;
        TlsCounters = tlsCounters;
        _decoder = new TlsDecoder(new BootClock(), options, cookie => Owners.TryGet(cookie, out var o) ? o : null);
        _ownersLostBefore = Owners.Lost;
        _pump = new KernelCounterPump(null, Malformed, counters, () => _capture.KernelLost + _published.OwnersLost, () => _capture.HandlerFailures);
        _runtime = new KernelProbeRuntime(ProbeType, capture, null, Publish, logger);
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
        TlsCounters.Add(now.Item1 - _published.Duplicates, now.Item2 - _published.Unowned, now.Item3 - _published.Truncated,
            now.Item4 - _published.Reassembled, now.Item5 - _published.OwnersLost);
        _published = now;
        _pump.Publish();
    }

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
