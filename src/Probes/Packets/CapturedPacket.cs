using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Network;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Packets;

/// <summary>
/// One captured packet, decoded from its ring record (<c>struct packet_record</c> + payload). The raw struct stays
/// here: consumers see the endpoints, the local socket and its owner, and the payload bytes.
/// </summary>
/// <param name="Endpoints">The packet's source as <see cref="SocketTuple.Local"/> and destination as
/// <see cref="SocketTuple.Remote"/> (not the socket's local and remote: those depend on the direction).</param>
/// <param name="Outbound">Egress: sent by the local socket; else received by it.</param>
/// <param name="Owner">The local socket's process; null when the owner map did not know it yet.</param>
/// <param name="WireLength">Payload bytes in the packet; more than the payload's length when the capture was cut.</param>
internal readonly ref struct CapturedPacket(ulong bootNs, bool outbound, ulong cookie, SocketOwner? owner, SocketTuple endpoints,
    uint tcpSeq, int wireLength, ReadOnlySpan<byte> payload)
{
    public ulong BootNs { get; } = bootNs;
    public bool Outbound { get; } = outbound;
    public ulong Cookie { get; } = cookie;
    public SocketOwner? Owner { get; } = owner;
    public SocketTuple Endpoints { get; } = endpoints;
    public uint TcpSeq { get; } = tcpSeq;
    public int WireLength { get; } = wireLength;
    public ReadOnlySpan<byte> Payload { get; } = payload;

    public bool IsTcp => Endpoints.Protocol == SocketTuple.Tcp;

    public bool Complete => Payload.Length == WireLength;

    /// <summary>False for anything but a well-formed packet record of <paramref name="forClass"/>: too short, another
    /// opcode, a payload length that disagrees with the record's, an unknown direction, family or protocol.</summary>
    public static unsafe bool TryRead(ReadOnlySpan<byte> record, byte forClass, out CapturedPacket packet)
    {
        packet = default;
        if (record.Length < sizeof(PacketRecord) || (OpCode)record[0] != OpCode.Packet) return false;
        ref readonly var r = ref Unsafe.As<byte, PacketRecord>(ref MemoryMarshal.GetReference(record));
        var payload = record[sizeof(PacketRecord)..];
        if ((r.Classes & forClass) == 0 || r.CapLen != payload.Length || r.CapLen > PacketAbi.CaptureMax || r.WireLen < r.CapLen
            || r.Direction is not (PacketAbi.Egress or PacketAbi.Ingress) || r.WireLen > int.MaxValue)
            return false;
        SocketTuple? endpoints;
        fixed (byte* s = r.Saddr)
        fixed (byte* d = r.Daddr)
        {
            endpoints = SocketTuple.From(r.Protocol, r.Family, new ReadOnlySpan<byte>(s, 16), r.Sport, new ReadOnlySpan<byte>(d, 16), r.Dport);
        }
        if (endpoints is null) return false;
        var owner = (r.Flags & PacketAbi.FlagNoOwner) != 0 ? null : r.Owner.ToOwner();
        packet = new CapturedPacket(r.BootNs, r.Direction == PacketAbi.Egress, r.Cookie, owner, endpoints, r.TcpSeq, (int)r.WireLen, payload);
        return true;
    }
}
