using Ingrain.Probes.Kernel;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Packets;

/// <summary>
/// The running part every probe on the shared packet capture has (DNS, TLS): its lease, its decoder behind one lock,
/// the records handed to it by the capture's reader while it runs, a 100 ms tick for what its decoder holds back, and
/// its counters published as deltas (owners lost count only from when it took its lease). The probes keep their attach,
/// options and decoder.
/// </summary>
internal sealed class PacketProbeRun
{
    private static readonly TimeSpan HeldCheck = TimeSpan.FromMilliseconds(100);

    private readonly PacketCaptureLease _capture;
    private readonly IPacketDecoder _decoder;
    private readonly PacketProbeCounters _own;
    private readonly Lock _decoderLock = new();
    private readonly KernelCounterPump _pump;
    private readonly KernelProbeRuntime _runtime;
    private readonly long _ownersLostBefore;
    private (long Duplicates, long Unowned, long Truncated, long Reassembled, long OwnersLost) _published;

    /// <param name="alsoOwned">Released with the lease (e.g. the DNS probe's source of resolved names).</param>
    public PacketProbeRun(string type, PacketCaptureLease capture, IPacketDecoder decoder, ProbeCounters counters, PacketProbeCounters own,
        ILogger? logger, params IDisposable[] alsoOwned)
    {
        _capture = capture;
        _decoder = decoder;
        _own = own;
        // Owners lost before this probe held its lease are not its losses.
        _ownersLostBefore = capture.Owners.Lost;
        _pump = new KernelCounterPump(null, Malformed, counters, () => _capture.KernelLost + _published.OwnersLost, () => _capture.HandlerFailures);
        _runtime = new KernelProbeRuntime(type, capture, null, Publish, logger, alsoOwned);
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
                _capture.IsDisposed ? _published.OwnersLost : _capture.Owners.Lost - _ownersLostBefore);
        _own.Add(now.Item1 - _published.Duplicates, now.Item2 - _published.Unowned, now.Item3 - _published.Truncated,
            now.Item4 - _published.Reassembled, now.Item5 - _published.OwnersLost);
        _published = now;
        _pump.Publish();
    }

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
