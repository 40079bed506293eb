using Xunit;

namespace Ingrain.Actors.Tests.Pipeline;

public sealed class ContainerStepSpec : IDisposable
{
    private const string Id = "3f4e2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f";
    private const string PodUid = "1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f";
    private readonly string _root = Directory.CreateTempSubdirectory("ingrain-container-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("/docker/" + Id, null)]                                                                    // docker, cgroup v1
    [InlineData("/system.slice/docker-" + Id + ".scope", null)]                                            // docker, systemd driver / v2
    [InlineData("/system.slice/containerd.service/cri-containerd-" + Id + ".scope", null)]                 // containerd
    [InlineData("/machine.slice/crio-" + Id + ".scope", null)]                                             // cri-o
    [InlineData("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + Id + ".scope/container", null)] // rootless podman v2
    [InlineData("/kubepods/burstable/pod" + PodUid + "/" + Id, PodUid)]                                    // kubepods, cgroupfs v1
    [InlineData("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1c2d3e4f_5a6b_7c8d_9e0f_1a2b3c4d5e6f.slice/cri-containerd-" + Id + ".scope", PodUid)]
    [InlineData("/kubepods.slice/kubepods-pod1c2d3e4f_5a6b_7c8d_9e0f_1a2b3c4d5e6f.slice/crio-" + Id + ".scope", PodUid)]
    public void Recognises_container_cgroups(string path, string? podUid)
    {
        Assert.Equal(new ContainerInfo(Id, podUid), CgroupPaths.Parse(path));
    }

    private const string HybridMountinfo = "25 1 0:23 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
                                           + "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
                                           + "27 25 0:25 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory";

    [Theory]
    [InlineData(HybridMountinfo, "auto", "/sys/fs/cgroup/unified")]                                          // hybrid host: v2 beside v1
    [InlineData("30 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw", "auto", "/sys/fs/cgroup")]     // pure v2
    [InlineData("25 1 0:23 / /sys/fs/cgroup ro - tmpfs tmpfs ro", "auto", null)]                             // none: a config error
    [InlineData(HybridMountinfo, "/srv/cgroup", "/srv/cgroup")]                                              // a path as configured
    public void The_cgroup_root_auto_is_the_cgroup2_mount_in_mountinfo(string mountinfo, string configured, string? expected) =>
        Assert.Equal(expected, CgroupRoot.Resolve(configured, mountinfo.Split('\n')));

    [Fact]
    public void The_default_cgroup_root_is_this_hosts_cgroup2_mount() =>
        Assert.Equal(Ingrain.Native.Cgroup2.Find(File.ReadLines("/proc/self/mountinfo")), ComponentSettings.Container.CgroupRoot);

    [Theory]
    [InlineData("/")]
    [InlineData("/user.slice/user-1000.slice/session-3.scope")]
    [InlineData("/system.slice/docker.service")]
    [InlineData("/machine.slice/libpod-conmon-" + Id + ".scope")]
    [InlineData("/kubepods.slice/kubepods-burstable.slice")]
    public void Ignores_host_cgroups(string path) => Assert.Null(CgroupPaths.Parse(path));

    [Fact]
    public void Reads_v1_proc_cgroup_files_taking_the_first_container_line()
    {
        var content = $"12:pids:/user.slice\n11:memory:/docker/{Id}\n0::/\n";
        Assert.Equal(Id, CgroupPaths.ParseProcCgroup(content)?.ContainerId);
    }

    [Fact]
    public void Tags_from_proc_pid_cgroup_and_caches_per_pid()
    {
        var proc = Directory.CreateDirectory(Path.Combine(_root, "proc", "77")).Parent!.FullName;
        File.WriteAllText(Path.Combine(proc, "77", "cgroup"), $"0::/kubepods/besteffort/pod{PodUid}/{Id}\n");
        var clock = new ManualClock();
        var step = new ContainerStep(ComponentSettings.Container with { ProcRoot = proc, CgroupRoot = Path.Combine(_root, "none") }, M.Context(clock));

        var first = Assert.Single(M.Run(step, M.Counter("x", tags: Tags.Of(("process_id", "77")))));
        Assert.Equal(Tags.Of(("process_id", "77"), ("container_id", Id), ("pod_uid", PodUid)), first.Tags);

        File.WriteAllText(Path.Combine(proc, "77", "cgroup"), "0::/user.slice\n"); // pid reused
        Assert.Equal(Id, M.Run(step, M.Counter("x", tags: Tags.Of(("process_id", "77"))))[0].Tags.Get("container_id"));
        clock.Advance(ComponentSettings.Container.PidCacheTtl);
        Assert.Null(M.Run(step, M.Counter("x", tags: Tags.Of(("process_id", "77"))))[0].Tags.Get("container_id"));
    }

    [Fact]
    public void Passes_unknown_and_exited_processes_unchanged()
    {
        var step = new ContainerStep(ComponentSettings.Container with { ProcRoot = _root }, M.Context());
        var gone = M.Counter("x", tags: Tags.Of(("process_id", "999999")));
        var none = M.Counter("y");
        Assert.Equal([gone, none], M.Run(step, gone, none));
    }

    [Fact]
    public void Resolves_the_cgroup_id_through_the_cgroup2_tree()
    {
        var scope = Directory.CreateDirectory(Path.Combine(_root, "cgroup", "system.slice", $"docker-{Id}.scope")).FullName;
        var inode = InodeOf(scope);
        var step = new ContainerStep(ComponentSettings.Container with { ProcRoot = _root, CgroupRoot = Path.Combine(_root, "cgroup") }, M.Context());
        var result = Assert.Single(M.Run(step, M.Counter("x", tags: Tags.Of(("cgroup_id", inode.ToString())))));
        Assert.Equal(Id, result.Tags.Get("container_id"));
    }

    // The real cgroup2 mount is covered by Ingrain.Agent.Tests/CgroupResolutionSpec (found through mountinfo, fails under CI).

    [Fact]
    public void An_id_missing_after_a_walk_starts_no_new_walk_until_its_miss_expires()
    {
        var clock = new ManualClock();
        var mount = Directory.CreateDirectory(Path.Combine(_root, "cgroup")).FullName;
        var first = Directory.CreateDirectory(Path.Combine(mount, "a")).FullName;
        var index = new CgroupIdIndex(mount, clock, minRescan: TimeSpan.FromSeconds(1), missTtl: TimeSpan.FromSeconds(60));
        const ulong unknown = 1; // no directory has inode 1

        Assert.Equal("/a", index.Find(InodeOf(first)));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(index.Find(unknown));
        Assert.Equal(2, index.Scans);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(index.Find(unknown));
        Assert.Equal(2, index.Scans);                  // remembered miss: no walk

        var created = Directory.CreateDirectory(Path.Combine(mount, "b")).FullName;
        Assert.Equal("/b", index.Find(InodeOf(created))); // another id still walks (a new container's first event)
        Assert.Equal(3, index.Scans);

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(index.Find(unknown));
        Assert.Equal(4, index.Scans);                  // miss expired: walked again
    }

    [Fact]
    public void The_walk_stops_at_its_depth_limit()
    {
        var mount = Directory.CreateDirectory(Path.Combine(_root, "cgroup")).FullName;
        var two = Directory.CreateDirectory(Path.Combine(mount, "1", "2")).FullName;
        var three = Directory.CreateDirectory(Path.Combine(two, "3")).FullName;
        var index = new CgroupIdIndex(mount, new ManualClock(), TimeSpan.Zero, TimeSpan.Zero, maxDepth: 2);
        Assert.Equal("/1/2", index.Find(InodeOf(two)));
        Assert.Null(index.Find(InodeOf(three)));
    }

    private static ulong InodeOf(string path)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return ulong.Parse(text.Trim());
    }
}
