using System.Text.RegularExpressions;
using Ingrain.Probes.Packets;
using Xunit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>
/// The C# mirrors of the packet capture's records match the C structs, as the BTF of bpf/abi/packets_abi.bpf.c
/// describes them (opened, never loaded), and the constants match packets.h.
/// </summary>
public sealed class PacketAbiTests
{
    [Fact]
    public void PacketRecord_matches_struct_packet_record() => AssertSameLayout<PacketRecord>("packet_record");

    [Fact]
    public void PacketConfig_matches_struct_packet_config() => AssertSameLayout<PacketConfig>("packet_config");

    [Fact]
    public void The_constants_match_packets_h()
    {
        var header = File.ReadAllText(RepoFiles.Path("bpf/packets/packets.h"));
        int Define(string name) => int.Parse(Regex.Match(header, $@"#define {name} (\d+)").Groups[1].Value);
        Assert.Equal((Define("PACKET_CLASS_DNS"), Define("PACKET_CLASS_TLS")), (PacketAbi.ClassDns, PacketAbi.ClassTls));
        Assert.Equal((Define("PACKET_EGRESS"), Define("PACKET_INGRESS")), (PacketAbi.Egress, PacketAbi.Ingress));
        Assert.Equal((Define("PACKET_F_NO_OWNER"), Define("PACKET_CAPTURE_MAX")), (PacketAbi.FlagNoOwner, PacketAbi.CaptureMax));
    }

    private static void AssertSameLayout<T>(string cStruct) where T : unmanaged => AbiLayout.AssertSame<T>("bpf/packets_abi.bpf.o", cStruct);
}
