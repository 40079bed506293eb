using System.Net;
using System.Net.Sockets;

namespace Ingrain.Probes.Network;

/// <summary>A socket's endpoints as reported: local (<c>s_</c>) and remote (<c>d_</c>), ports in host order.</summary>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="Family"><c>ipv4</c> or <c>ipv6</c>; a dual-stack socket's IPv4-mapped peer (<c>::ffff:a.b.c.d</c>) is <c>ipv4</c>.</param>
public sealed record SocketTuple(string Protocol, string Family, IPAddress Local, int LocalPort, IPAddress Remote, int RemotePort)
{
    public const string Tcp = "tcp", Udp = "udp", IPv4 = "ipv4", IPv6 = "ipv6";
    private const int AfInet = 2, AfInet6 = 10, IpProtoTcp = 6, IpProtoUdp = 17;

    /// <summary>From the kernel's layout: IPv4 in the first 4 bytes of an address (AF_INET), IPv6 in all 16.</summary>
    internal static SocketTuple? From(int protocol, int family, ReadOnlySpan<byte> local, int localPort, ReadOnlySpan<byte> remote, int remotePort) =>
        From(protocol, family, local, localPort, family, remote, remotePort);

    /// <summary>
    /// Each side in its own family: an IPv6 socket's UDP datagram to an IPv4-mapped peer goes through the IPv4 path, so
    /// the peer can be AF_INET while the socket's local address is AF_INET6.
    /// </summary>
    internal static SocketTuple? From(int protocol, int localFamily, ReadOnlySpan<byte> local, int localPort, int remoteFamily,
        ReadOnlySpan<byte> remote, int remotePort)
    {
        var proto = protocol switch { IpProtoTcp => Tcp, IpProtoUdp => Udp, _ => null };
        if (proto is null || Address(localFamily, local) is not { } l || Address(remoteFamily, remote) is not { } r) return null;
        // A dual-stack socket talking to an IPv4 peer: the peer is ::ffff:a.b.c.d (or plain IPv4), the local side
        // mapped, IPv4 or ::.
        var v4Peer = r.AddressFamily == AddressFamily.InterNetwork || r.IsIPv4MappedToIPv6;
        var v4Local = l.AddressFamily == AddressFamily.InterNetwork || l.IsIPv4MappedToIPv6 || l.Equals(IPAddress.IPv6Any);
        if (v4Peer && v4Local)
            return new SocketTuple(proto, IPv4, ToV4(l), localPort, ToV4(r), remotePort);
        return new SocketTuple(proto, IPv6, l, localPort, r, remotePort);
    }

    private static IPAddress? Address(int family, ReadOnlySpan<byte> bytes) => family switch
    {
        AfInet => new IPAddress(bytes[..4]),
        AfInet6 => new IPAddress(bytes[..16]),
        _ => null,
    };

    private static IPAddress ToV4(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetwork ? a : a.Equals(IPAddress.IPv6Any) ? IPAddress.Any : a.MapToIPv4();
}
