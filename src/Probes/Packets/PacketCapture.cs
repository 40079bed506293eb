using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Packets;

/// <summary>
/// Leases on the one packet capture (bpf/packets: the cgroup_skb egress and ingress programs every payload-reading
/// probe shares): one object, one pair of programs and one ring in the kernel however many probes (DNS, TLS) hold a
/// lease, so a packet is inspected once. The first lease loads and attaches it, the last one disposed unloads it,
/// like <see cref="Sockets.SocketOwners"/>.
/// </summary>
internal static class PacketCapture
{
    public const string Object = EmbeddedBpfObjects.Packets;

    // A burst of packets would otherwise pay a wake-up per record: the reader wakes at 64 KiB or every 50 ms.
    public static readonly RingBufferBatching Batching = new(64 * 1024, TimeSpan.FromMilliseconds(50));

    private static readonly Lock Gate = new();
    private static SharedPacketCapture? _capture;

    /// <summary>How many leases are held now (0: not loaded).</summary>
    public static int Leases
    {
        get
        {
            lock (Gate) return _capture?.LeaseCount ?? 0;
        }
    }

    /// <summary>A lease for <paramref name="consumer"/>, loading and attaching the capture if no probe holds one.</summary>
    /// <exception cref="Native.Errors.BpfException">Loading or attaching failed (no cgroup v2, verifier, privileges).</exception>
    public static PacketCaptureLease Acquire(PacketConsumer consumer, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        lock (Gate)
        {
            var capture = _capture ?? SharedPacketCapture.Load(Batching, logger);
            var lease = new PacketCaptureLease(capture, consumer);
            try
            {
                capture.Join(lease);
            }
            catch
            {
                if (_capture is null) capture.Dispose();
                throw;
            }
            _capture = capture;
            return lease;
        }
    }

    internal static void Release(SharedPacketCapture capture, PacketCaptureLease lease)
    {
        lock (Gate)
        {
            capture.Leave(lease);
            if (capture.LeaseCount > 0 || _capture != capture) return;
            _capture = null;
            capture.Dispose();
        }
    }
}
