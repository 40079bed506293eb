using Ingrain.Native;
using Xunit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>The cgroup v2 root is found in mountinfo, wherever the distribution mounts it.</summary>
public sealed class Cgroup2Tests
{
    private const string Hybrid = """
        25 30 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
        28 25 0:26 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:12 - cgroup cgroup rw,net_cls,net_prio
        """;

    [Fact]
    public void A_hybrid_system_has_it_at_unified_and_its_v1_net_controllers_are_named()
    {
        Assert.Equal("/sys/fs/cgroup/unified", Cgroup2.Find(Hybrid.Split('\n')));
        Assert.Equal(["net_cls", "net_prio"], Cgroup2.NetV1Controllers(Hybrid.Split('\n')));
    }

    [Fact]
    public void The_hierarchy_root_wins_over_a_bind_mount_of_a_sub_cgroup_and_escapes_are_undone()
    {
        string[] lines =
        [
            "40 30 0:24 /system.slice /mnt/sub rw - cgroup2 cgroup2 rw",
            @"41 30 0:24 / /run/my\040cgroup rw - cgroup2 cgroup2 rw",
        ];
        Assert.Equal("/run/my cgroup", Cgroup2.Find(lines));
    }

    [Fact]
    public void No_cgroup2_mount_is_null() =>
        Assert.Null(Cgroup2.Find(["25 30 0:23 / /sys/fs/cgroup ro - tmpfs tmpfs ro"]));
}
