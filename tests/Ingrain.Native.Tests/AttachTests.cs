using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Native.Tests;

/// <summary>Each program kind the probes use, attached for real and observed through a map.</summary>
[Collection(KernelCollection.Name)]
public sealed class AttachTests
{
    private const uint RawTracepointKey = 1, SocketKey = 2, CgroupKey = 3;

    [KernelFact]
    public void Raw_tracepoint_sees_every_getppid_of_this_process()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        using (obj.Program("test_raw_tp").AttachRawTracepoint("sys_enter"))
        {
            TestObject.CallGetppid(7);
        }
        Assert.True(obj.Map("counts").TryLookup(RawTracepointKey, out ulong count));
        Assert.Equal(7UL, count);
    }

    [KernelFact]
    public void Socket_filter_on_a_packet_socket_sees_loopback_packets()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        using var socket = PacketSocket.Open();
        using (obj.Program("test_socket").AttachSocketFilter(socket))
        {
            TestObject.SendLoopbackPackets();
            Assert.True(TestObject.Eventually(() => obj.Map("counts").TryLookup(SocketKey, out ulong n) && n >= 3));
        }
    }

    [KernelFact]
    public void Cgroup_egress_program_sees_packets_sent_from_the_cgroup()
    {
        KernelReady.Ensure();
        var cgroup2 = File.ReadLines("/proc/self/mounts").Select(l => l.Split(' ')).FirstOrDefault(f => f[2] == "cgroup2")?[1];
        Assert.True(cgroup2 is not null, "no cgroup v2 hierarchy mounted");
        using var obj = TestObject.OpenAndLoad();
        var link = obj.Program("test_cgroup_egress").AttachCgroup(cgroup2!);
        Assert.NotEqual(0u, link.Id);
        using (link)
        {
            TestObject.SendLoopbackPackets();
            Assert.True(TestObject.Eventually(() => obj.Map("counts").TryLookup(CgroupKey, out ulong n) && n >= 3));
        }
        Assert.True(TestObject.Eventually(() => !BpfIds.LinkExists(link.Id)));
    }
}
