using Ingrain.Probes.Kernel;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>Packet ring records (<c>struct packet_record</c> + payload) as the capture program writes them, for decoder tests.</summary>
internal static class TestPackets
{
    public static unsafe byte[] Record(byte[] payload, ulong cookie, bool outbound, ulong bootNs, int? owner = 4242, bool tcp = false,
        uint seq = 0, int? wireLength = null, ushort sport = 40000, ushort dport = 53, byte family = 2, string comm = "dig",
        byte classes = PacketAbi.ClassDns)
    {
        var r = new PacketRecord
        {
            Op = (byte)OpCode.Packet, Classes = classes, Direction = outbound ? PacketAbi.Egress : PacketAbi.Ingress,
            Flags = owner is null ? PacketAbi.FlagNoOwner : (byte)0, Family = family, Protocol = tcp ? (byte)6 : (byte)17,
            CapLen = (ushort)payload.Length, WireLen = (uint)(wireLength ?? payload.Length), TcpSeq = seq, BootNs = bootNs, Cookie = cookie,
            Sport = sport, Dport = dport,
        };
        r.Saddr[0] = r.Daddr[0] = 127;
        r.Saddr[3] = r.Daddr[3] = 1;
        if (owner is { } pid)
        {
            r.Owner.Tgid = r.Owner.Pid = (uint)pid;
            r.Owner.Hook = (byte)SocketOwnerHook.Create;
            for (var i = 0; i < comm.Length && i < 15; i++) r.Owner.Comm[i] = r.Owner.ThreadComm[i] = (byte)comm[i];
        }
        var bytes = new byte[sizeof(PacketRecord) + payload.Length];
        fixed (byte* p = bytes) *(PacketRecord*)p = r;
        payload.CopyTo(bytes, sizeof(PacketRecord));
        return bytes;
    }

    public static byte[] Tcp(byte[] message)
    {
        var framed = new byte[message.Length + 2];
        framed[0] = (byte)(message.Length >> 8);
        framed[1] = (byte)message.Length;
        message.CopyTo(framed, 2);
        return framed;
    }
}
