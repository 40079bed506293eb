using System.Runtime.InteropServices;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Packets;

// Mirrors of bpf/packets/packets.h. Change both together: PacketAbiTests compares sizes and offsets with the BTF.

/// <summary>Mirror of <c>struct packet_record</c>; the captured payload follows it in the ring record.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PacketRecord
{
    public byte Op;
    public byte Classes;
    public byte Direction;
    public byte Flags;
    public byte Family;
    public byte Protocol;
    public ushort CapLen;
    public uint WireLen;
    public uint TcpSeq;
    public ulong BootNs;
    public ulong Cookie;
    public fixed byte Saddr[16];
    public fixed byte Daddr[16];
    public ushort Sport;
    public ushort Dport;
    public uint Reserved;
    public SocketOwnerRecord Owner;
}

/// <summary>Mirror of <c>struct packet_config</c> (<c>packet_config[0]</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PacketConfig
{
    public uint IgnoreTgid;
    public uint Classes;
}

/// <summary>The constants of packets.h.</summary>
internal static class PacketAbi
{
    public const byte ClassDns = 1, ClassTls = 2;
    public const byte Egress = 1, Ingress = 2;
    public const byte FlagNoOwner = 1;
    public const int CaptureMax = 4096;
    public const uint ErrTruncated = 0;
}
