using System.Runtime.InteropServices;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Network;

// Mirrors of bpf/network/network.h and bpf/sockets/sock_tuple.h. Change both together: NetworkAbiTests compares sizes
// and offsets with the objects' BTF.

/// <summary>Mirror of <c>struct sock_tuple</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockTupleRecord
{
    public fixed byte Saddr[16];
    public fixed byte Daddr[16];
    public ushort Sport;
    public ushort Dport;
    public ushort Family;
    public ushort Protocol;
}

/// <summary>Mirror of <c>struct connection_record</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ConnectionRecord
{
    public const byte KindOut = 1, KindIn = 2, KindClose = 3;
    public const byte FlagNoOwner = 1, FlagPartial = 2;

    public byte Op;
    public byte Kind;
    public byte Flags;
    public byte Reserved;
    public uint Error;
    public ulong BootNs;
    public ulong Cookie;
    public ulong DurationNs;
    public ulong TxBytes;
    public ulong RxBytes;
    public SocketOwnerRecord Owner;
    public SockTupleRecord Tuple;
}

/// <summary>Mirror of <c>struct volume_key</c>: compared and hashed by its bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VolumeKey : IEquatable<VolumeKey>
{
    public ulong Cookie;
    public uint Tgid;
    public ushort Dport;
    public ushort Family;
    public fixed byte Daddr[16];

    public readonly bool Equals(VolumeKey other)
    {
        fixed (VolumeKey* a = &this)
        {
            return new ReadOnlySpan<byte>(a, sizeof(VolumeKey)).SequenceEqual(new ReadOnlySpan<byte>(&other, sizeof(VolumeKey)));
        }
    }

    public override readonly bool Equals(object? obj) => obj is VolumeKey k && Equals(k);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        fixed (VolumeKey* a = &this) hash.AddBytes(new ReadOnlySpan<byte>(a, sizeof(VolumeKey)));
        return hash.ToHashCode();
    }
}

/// <summary>Mirror of <c>struct volume_value</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VolumeValue
{
    public ulong TxBytes;
    public ulong RxBytes;
    public ulong TxCalls;
    public ulong RxCalls;
    public ushort Sport;
    public byte Protocol;
    public byte SockFamily;
    public uint Uid;
    public fixed byte Saddr[16];
    public fixed byte Comm[16];
}

/// <summary>Indexes of the per-CPU <c>net_errors</c> array (<c>NET_ERR_*</c>).</summary>
internal static class NetErrors
{
    public const uint ConnMapFull = 0, VolumeMapFull = 1, VolumeBytesLost = 2;
}
