using System.Diagnostics;
using Ingrain.Native;
using RootFactAttribute = Ingrain.TestSupport.Kernel.RootFactAttribute;
using Xunit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>The cgroup v2 root is found in mountinfo, wherever the distribution mounts it, or mounted when there is
/// none; the cgroup v1 net controllers that turn cgroup2 socket matching off are named.</summary>
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

    [Fact]
    public void A_cgroup2_in_mountinfo_is_used_and_nothing_is_mounted()
    {
        var target = Path.Combine(Path.GetTempPath(), $"ingrain-cgroup2-unused-{Guid.NewGuid():N}");
        Assert.Equal("/sys/fs/cgroup/unified", Cgroup2.FindOrMount(Hybrid.Split('\n'), target));
        Assert.False(Directory.Exists(target), "the fallback mount point was created although mountinfo has cgroup2");
    }

    [RootFact]
    public void With_none_in_mountinfo_cgroup2_is_mounted_at_the_given_directory()
    {
        RootFactAttribute.Require();
        var dir = Directory.CreateTempSubdirectory("ingrain-cgroup2-").FullName;
        var target = Path.Combine(dir, "cgroup2"); // not there yet: FindOrMount creates it
        try
        {
            Assert.Equal(target, Cgroup2.FindOrMount(["25 30 0:23 / /sys/fs/cgroup ro - tmpfs tmpfs ro"], target));
            // The kernel has a cgroup2 mount of the hierarchy's root there now.
            var mounted = File.ReadLines("/proc/self/mountinfo").Where(l => l.Contains($" {target} ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(target, Cgroup2.Find(mounted));
            Assert.True(File.Exists(Path.Combine(target, "cgroup.controllers")), "no cgroup.controllers in the new mount");
            // It is the one hierarchy: the same controllers as the system's own mount, this process in its cgroup.procs somewhere.
            if (Cgroup2.Find(File.ReadLines("/proc/self/mountinfo").Except(mounted)) is { } system)
                Assert.Equal(File.ReadAllText(Path.Combine(system, "cgroup.controllers")), File.ReadAllText(Path.Combine(target, "cgroup.controllers")));
            var own = File.ReadLines("/proc/self/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
            Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                File.ReadAllLines(Path.Combine(target + own, "cgroup.procs")));
        }
        finally
        {
            Unmount(target);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Only_mounted_v1_net_cls_and_net_prio_controllers_are_named()
    {
        string[] pureV2 = ["30 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"];
        Assert.Empty(Cgroup2.NetV1Controllers(pureV2));
        string[] others =
        [
            "31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
            // The name in the mount point is not a controller: the super options (after the dash) are what count.
            "32 25 0:28 / /sys/fs/cgroup/net_cls rw - cgroup cgroup rw,memory",
        ];
        Assert.Empty(Cgroup2.NetV1Controllers(others));
        Assert.Equal(["net_prio"], Cgroup2.NetV1Controllers([.. others, "33 25 0:29 / /sys/fs/cgroup/net_prio rw - cgroup cgroup rw,net_prio"]));
    }

    private static void Unmount(string path)
    {
        if (!File.ReadLines("/proc/self/mountinfo").Any(l => l.Contains($" {path} ", StringComparison.Ordinal))) return;
        using var umount = Process.Start(new ProcessStartInfo("umount", [path]) { RedirectStandardError = true })!;
        var error = umount.StandardError.ReadToEnd();
        umount.WaitForExit();
        Assert.True(umount.ExitCode == 0, $"umount {path}: {error}");
    }
}
