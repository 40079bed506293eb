using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.Probes;
using Ingrain.Probes.Exec;
using Ingrain.Steps.Container;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// Cgroup ids resolve through the machine's real cgroup2 mount, wherever it is (found in /proc/self/mountinfo, as on
/// hybrid systems it is /sys/fs/cgroup/unified). Replaces a test that returned early, passing, whenever
/// /sys/fs/cgroup was not the cgroup2 mount — that is, always on this project's machine.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class CgroupResolutionSpec
{
    [Cgroup2Fact]
    public void Finds_its_own_cgroup_in_the_real_cgroup2_mount()
    {
        var mount = Cgroup2.RequireMount();
        var own = Cgroup2.OwnPath();
        var index = new CgroupIdIndex(mount, TimeProvider.System, TimeSpan.Zero);
        Assert.Equal(own, index.Find(InodeOf(mount + (own == "/" ? "" : own))));
    }

    [KernelFact]
    public async Task An_exec_in_a_new_cgroup_carries_the_id_that_resolves_to_that_cgroup()
    {
        KernelReady.Ensure();
        var mount = Cgroup2.RequireMount();
        var name = $"ingrain-test-{Guid.NewGuid():N}";
        var dir = Directory.CreateDirectory(Path.Combine(mount, name)).FullName;
        try
        {
            var seen = new ConcurrentQueue<Measurement>();
            var options = TopologyLoader.ParseSettings<ExecProbeOptions>(new ExecProbeModule());
            await using var probe = ExecProbe.Attach(options, new ProbeCounters());
            using var stop = new CancellationTokenSource();
            var run = probe.RunAsync(new QueueSink(seen), stop.Token);

            // The shell moves itself into the new cgroup, then becomes /bin/true there.
            using (var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "echo $$ > \"$1/cgroup.procs\" && exec /bin/true \"$2\"", "sh", dir, name]) { UseShellExecute = false })!)
            {
                await shell.WaitForExitAsync();
                Assert.Equal(0, shell.ExitCode);
            }
            var deadline = DateTime.UtcNow.AddSeconds(10);
            ExecEvent? exec = null;
            while ((exec = seen.OfType<ExecEvent>().FirstOrDefault(e => e.Path == "/bin/true" && e.Args.Contains(name))) is null && DateTime.UtcNow < deadline) await Task.Delay(20);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.NotNull(exec);
            Assert.Equal(InodeOf(dir), exec.Process.CgroupId);
            Assert.Equal("/" + name, new CgroupIdIndex(mount, TimeProvider.System, TimeSpan.Zero).Find(exec.Process.CgroupId));
            Assert.Equal(exec.Process.CgroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), exec.Tags.Get("cgroup_id"));
        }
        finally
        {
            Directory.Delete(dir); // empty again: its only process has exited
        }
    }

    /// <summary>The inode by stat(1), independent of the code under test.</summary>
    private static ulong InodeOf(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return ulong.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class QueueSink(ConcurrentQueue<Measurement> queue) : IProbeSink
    {
        public void Emit(Measurement measurement) => queue.Enqueue(measurement);

        public void Emit(IReadOnlyList<Measurement> measurements)
        {
            foreach (var m in measurements) queue.Enqueue(m);
        }
    }
}
