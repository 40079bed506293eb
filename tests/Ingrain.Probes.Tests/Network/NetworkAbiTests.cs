using Ingrain.Probes.Network;
using Ingrain.Probes.Sockets;
using Xunit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>
/// The C# mirrors of the network probe's records and of the shared socket owner record match the C structs, as the
/// BTF of bpf/abi/network_abi.bpf.c describes them (opened, never loaded: needs libbpf, not root).
/// </summary>
public sealed class NetworkAbiTests
{
    [Fact]
    public void ConnectionRecord_matches_struct_connection_record() => AssertSameLayout<ConnectionRecord>("connection_record");

    [Fact]
    public void VolumeKey_matches_struct_volume_key() => AssertSameLayout<VolumeKey>("volume_key");

    [Fact]
    public void VolumeValue_matches_struct_volume_value() => AssertSameLayout<VolumeValue>("volume_value");

    [Fact]
    public void SocketOwnerRecord_matches_struct_sock_owner() => AssertSameLayout<SocketOwnerRecord>("sock_owner");

    [Fact]
    public void SockTupleRecord_matches_struct_sock_tuple() => AssertSameLayout<SockTupleRecord>("sock_tuple");

    private static void AssertSameLayout<T>(string cStruct) where T : unmanaged => AbiLayout.AssertSame<T>("bpf/network_abi.bpf.o", cStruct);
}
