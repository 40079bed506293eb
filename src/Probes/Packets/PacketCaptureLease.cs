using Ingrain.Native;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Packets;

/// <summary>
/// One probe's share of the packet capture: its class and ports are switched on while the lease is held, and the
/// records of its class go to the handler it <see cref="Subscribe"/>s (on the capture's reader thread; records that
/// arrive while no handler is subscribed are not kept). Disposing leaves the capture; the last lease unloads it.
/// </summary>
internal sealed class PacketCaptureLease : IDisposable
{
    private readonly SharedPacketCapture _capture;
    private readonly long _kernelLostBefore;
    private volatile RingRecordHandler? _handler;
    private long _handlerFailures, _kernelLostAtDispose;
    private bool _disposed;

    internal PacketCaptureLease(SharedPacketCapture capture, PacketConsumer consumer)
    {
        _capture = capture;
        Consumer = consumer;
        // Ring losses before this lease joined are not its losses.
        _kernelLostBefore = capture.KernelLost;
    }

    public PacketConsumer Consumer { get; }

    /// <summary>The shared socket owner map the capture reads owners from.</summary>
    public SocketOwners Owners => _capture.Owners;

    /// <summary>The capture's programs and links: the same for every lease (one set in the kernel).</summary>
    public IReadOnlyList<BpfLink> Links => _capture.Links;

    public IReadOnlyCollection<BpfProgram> Programs => _capture.Programs;

    /// <summary>Records the shared ring lost since this lease joined. A lost record's class is unknown, so every lease of
    /// the capture counts it.</summary>
    public long KernelLost => _disposed ? _kernelLostAtDispose : _capture.KernelLost - _kernelLostBefore;

    /// <summary>Records whose handler threw (the record still went to the other leases).</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    public bool IsDisposed => _disposed;

    public void Subscribe(RingRecordHandler handler) => _handler = handler;

    public void Unsubscribe() => _handler = null;

    internal void Deliver(ReadOnlySpan<byte> record)
    {
        if (_handler is not { } handler) return;
        try
        {
            handler(record);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _handlerFailures);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _kernelLostAtDispose = _capture.KernelLost - _kernelLostBefore;
        _disposed = true;
        _handler = null;
        PacketCapture.Release(_capture, this);
    }
}
