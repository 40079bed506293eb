using System.Net;
using Ingrain.Probes.Network;
using Xunit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>Addresses as the kernel lays them out become the reported endpoints; dual-stack IPv4 peers are IPv4.</summary>
public sealed class SocketTupleTests
{
    private static byte[] Bytes(string address)
    {
        var b = new byte[16];
        IPAddress.Parse(address).GetAddressBytes().CopyTo(b, 0);
        return b;
    }

    [Fact]
    public void Ipv4_takes_the_first_four_bytes()
    {
        var t = SocketTuple.From(6, 2, Bytes("10.1.2.3"), 40000, Bytes("192.168.0.1"), 443)!;
        Assert.Equal(new SocketTuple("tcp", "ipv4", IPAddress.Parse("10.1.2.3"), 40000, IPAddress.Parse("192.168.0.1"), 443), t);
    }

    [Fact]
    public void Ipv6_stays_ipv6()
    {
        var t = SocketTuple.From(17, 10, Bytes("::1"), 5353, Bytes("fe80::1"), 53)!;
        Assert.Equal(("udp", "ipv6", "::1", "fe80::1"), (t.Protocol, t.Family, t.Local.ToString(), t.Remote.ToString()));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("::", "0.0.0.0")]
    public void An_ipv4_mapped_peer_of_a_dual_stack_socket_is_reported_as_ipv4(string local, string expectedLocal)
    {
        var t = SocketTuple.From(6, 10, Bytes(local), 8080, Bytes("::ffff:10.0.0.9"), 51000)!;
        Assert.Equal(("ipv4", expectedLocal, "10.0.0.9"), (t.Family, t.Local.ToString(), t.Remote.ToString()));
    }

    [Fact]
    public void An_ipv6_socket_sending_to_an_ipv4_peer_through_the_ipv4_path_is_ipv4()
    {
        // udpv6_sendmsg hands a v4-mapped destination to udp_sendmsg: the peer is AF_INET, the socket AF_INET6.
        var t = SocketTuple.From(17, 10, Bytes("::"), 9999, 2, Bytes("127.0.0.1"), 53)!;
        Assert.Equal(("ipv4", "0.0.0.0", "127.0.0.1"), (t.Family, t.Local.ToString(), t.Remote.ToString()));
    }

    [Theory]
    [InlineData(1, 2)]   // ICMP
    [InlineData(6, 1)]   // AF_UNIX
    public void Other_protocols_and_families_are_not_endpoints(int protocol, int family) =>
        Assert.Null(SocketTuple.From(protocol, family, new byte[16], 1, new byte[16], 2));
}
