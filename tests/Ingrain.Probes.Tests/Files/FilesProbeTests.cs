using System.Collections.Concurrent;
using System.Globalization;
using Ingrain.Probes.Files;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Files.FilesTestKit;

namespace Ingrain.Probes.Tests.Files;

/// <summary>The files probe attached to the real kernel while child processes the test starts open, read and write.</summary>
[Collection(KernelCollection.Name)]
public sealed class FilesProbeTests
{
    [KernelFact]
    public async Task Opens_reads_and_writes_carry_exact_bytes_absolute_paths_flags_and_identity()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var sub = tmp.Dir("mon/sub");
        var outside = tmp.Dir("other");
        var file = Path.Combine(sub, "data.bin");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        // pwrite 1000 + writev 300; pread 500 + readv 2x100; a read at EOF (0 bytes) and a failed read (EBADF) count nothing.
        var (pid, output) = await Python("""
            import os, sys
            f, other = sys.argv[1], sys.argv[2]
            fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.pwrite(fd, b"a" * 1000, 0)
            os.writev(fd, [b"b" * 200, b"c" * 100])
            try:
                os.read(fd, 10)
            except OSError:
                pass
            os.close(fd)
            fd = os.open(f, os.O_RDONLY)
            os.pread(fd, 500, 0)
            os.readv(fd, [bytearray(100), bytearray(100)])
            os.lseek(fd, 0, os.SEEK_END)
            os.read(fd, 10)
            os.close(fd)
            with open(other, "w") as o:
                o.write("not monitored")
            st = os.stat(f)
            print(st.st_ino, st.st_dev)
            """, file, Path.Combine(outside, "x.txt"));
        var stat = output.Split(' ');

        var write = await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == pid && e.Path == file && (e.Flags & 3) == 1, "the write open");
        Assert.Equal("O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC", write.Tags.Get("flags_str"));
        Assert.Equal(stat[0], write.Tags.Get("ino_id"));
        Assert.Equal(stat[1], write.Tags.Get("dev_id"));
        Assert.Equal("python3", write.Tags.Get("process_str"));
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), write.Tags.Get("process_id"));
        Assert.Null(write.Tags.Get("error_str"));
        var read = await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == pid && e.Path == file && (e.Flags & 3) == 0, "the read open");
        Assert.Equal("O_RDONLY|O_CLOEXEC", read.Tags.Get("flags_str"));

        await probe.CollectAsync(m => seen.Enqueue(m));
        Assert.Equal((1300UL, 2UL), Sum(seen, FilesMeasurements.Write, pid, file));
        Assert.Equal((700UL, 2UL), Sum(seen, FilesMeasurements.Read, pid, file));
        var sum = seen.OfType<FileIoEvent>().First(e => e.ProcessId == pid && e.IsWrite);
        Assert.Equal(("python3", stat[0], stat[1], "2", "3600000"), (sum.Tags.Get("process_str"), sum.Tags.Get("ino_id"), sum.Tags.Get("dev_id"),
            sum.Tags.Get("calls_count"), sum.Tags.Get("interval_ms")));
        Assert.Equal(MeasurementUnit.Byte, sum.Value.Unit);
        Assert.DoesNotContain(seen, m => m.Tags.Get("path_str") is { } p && p.StartsWith(outside, StringComparison.Ordinal));
        Assert.Equal((0L, 0L), (probe.Counters.KernelLost, probe.Counters.Malformed));
    }

    [KernelFact]
    public async Task Dd_cat_and_a_shell_redirect_dup2_report_exact_sums()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var file = Path.Combine(monitored, "dd.bin");
        var log = Path.Combine(monitored, "log.txt");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var (dd, _) = await Run("dd", "if=/dev/zero", $"of={file}", "bs=4096", "count=256", "status=none");
        var (cat, _) = await Run("sh", "-c", $"exec cat {file} > /dev/null");
        // The shell opens log.txt, dup2s it onto fd 1 and closes the original: echo writes through the duplicate.
        var (sh, _) = await Run("sh", "-c", $"echo hello > {log}; exec 3>>{log}; echo world >&3; echo again >&3");

        await probe.CollectAsync(m => seen.Enqueue(m));
        Assert.Equal((1_048_576UL, 256UL), Sum(seen, FilesMeasurements.Write, dd, file));
        Assert.Equal(1_048_576UL, Sum(seen, FilesMeasurements.Read, cat, file).Bytes);
        Assert.Equal(18UL, Sum(seen, FilesMeasurements.Write, sh, log).Bytes);
        Assert.Equal("O_WRONLY|O_CREAT|O_TRUNC", seen.OfType<FileOpenEvent>().First(e => e.Process.ProcessId == dd && e.Path == file).Tags.Get("flags_str"));
        Assert.Contains(seen, m => m is FileOpenEvent e && e.Process.ProcessId == cat && e.Path == file && e.Process.Command == "cat");
    }

    [KernelFact]
    public async Task A_failed_open_of_a_monitored_path_is_reported_with_its_error_and_one_elsewhere_is_not()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var outside = tmp.Dir("other");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        // Absolute, relative to the cwd through "..", relative to a dirfd, and a miss outside the monitored directory.
        var (pid, _) = await Python("""
            import os, sys
            mon, other = sys.argv[1], sys.argv[2]
            for path in [mon + "/missing-abs", other + "/missing-outside"]:
                try: os.open(path, os.O_RDONLY)
                except FileNotFoundError: pass
            os.chdir(other)
            try: os.open("../mon/./missing-rel", os.O_RDONLY)
            except FileNotFoundError: pass
            d = os.open(other, os.O_RDONLY | os.O_DIRECTORY)
            try: os.open("../mon//missing-dirfd", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_DIRECTORY, dir_fd=d)
            except OSError: pass
            """, monitored, outside);

        foreach (var name in new[] { "missing-abs", "missing-rel" })
        {
            var e = await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == pid && e.Path == Path.Combine(monitored, name), name);
            Assert.Equal("ENOENT", e.Tags.Get("error_str"));
            Assert.Equal("O_RDONLY|O_CLOEXEC", e.Tags.Get("flags_str"));
            Assert.Null(e.Tags.Get("ino_id"));
        }
        var dirfd = await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == pid && e.Path == Path.Combine(monitored, "missing-dirfd"), "the dirfd open");
        Assert.NotNull(dirfd.Error);
        // The ring is ordered: the outside miss came before the relative ones, which were seen.
        Assert.DoesNotContain(seen, m => m.Tags.Get("path_str") is { } p && p.StartsWith(outside, StringComparison.Ordinal));
    }

    [KernelFact]
    public async Task Paths_are_absolute_at_depth_45_across_a_tmpfs_through_a_bind_mount_a_symlink_and_a_relative_dirfd()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var deep = tmp.Dir("mon/" + string.Join('/', Enumerable.Range(1, 45).Select(i => $"d{i}")));
        var mnt = tmp.Dir("mon/mnt");
        await Run("mount", "-t", "tmpfs", "ingrain-test", mnt);
        var inTmpfs = Directory.CreateDirectory(Path.Combine(mnt, "a/b")).FullName;
        var outside = tmp.Dir("other");
        var bind = tmp.Dir("other/bind");
        await Run("mount", "--bind", tmp.Dir("mon/d1"), bind);
        File.WriteAllText(Path.Combine(monitored, "target.txt"), "target");
        File.CreateSymbolicLink(Path.Combine(outside, "link"), Path.Combine(monitored, "target.txt"));
        File.WriteAllText(Path.Combine(outside, "plain.txt"), "not monitored");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var (pid, _) = await Python("""
            import os, sys
            deep, tmpfs, bind, link, mon, plain = sys.argv[1:7]
            for f in [deep + "/f.txt", tmpfs + "/t.txt", bind + "/via-bind.txt"]:
                with open(f, "w") as o: o.write("12345")
            open(link).read()
            open(plain).read()
            d = os.open(mon + "/d1", os.O_RDONLY | os.O_DIRECTORY)
            os.close(os.open("../target.txt", os.O_RDONLY, dir_fd=d))
            """, deep, inTmpfs, bind, Path.Combine(outside, "link"), monitored, Path.Combine(outside, "plain.txt"));

        string[] expected = [Path.Combine(deep, "f.txt"), Path.Combine(inTmpfs, "t.txt"), Path.Combine(bind, "via-bind.txt"), Path.Combine(monitored, "target.txt")];
        Assert.True(Path.Combine(deep, "f.txt").Split('/').Length > 45);
        foreach (var path in expected)
            await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == pid && e.Path == path && e.Error is null, path);
        // The symlink and the relative open both resolve to the target: two opens of it.
        Assert.Equal(2, seen.OfType<FileOpenEvent>().Count(e => e.Process.ProcessId == pid && e.Path == Path.Combine(monitored, "target.txt")));
        await probe.CollectAsync(m => seen.Enqueue(m));
        Assert.Equal(5UL, Sum(seen, FilesMeasurements.Write, pid, Path.Combine(inTmpfs, "t.txt")).Bytes);
        Assert.Equal(5UL, Sum(seen, FilesMeasurements.Write, pid, Path.Combine(bind, "via-bind.txt")).Bytes);
        Assert.Equal(6UL, Sum(seen, FilesMeasurements.Read, pid, Path.Combine(monitored, "target.txt")).Bytes);
        Assert.DoesNotContain(seen, m => m.Tags.Get("path_str") is { } p && p.EndsWith("plain.txt", StringComparison.Ordinal));
        Assert.Equal(0, probe.FilesCounters.WalksTooDeep + probe.KernelErrors().WalksTooDeep);
    }

    [KernelFact]
    public async Task A_file_opened_before_the_probe_started_is_counted_with_its_path()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var file = Path.Combine(monitored, "early.txt");
        using var writer = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3",
            ["-c", "import sys\nf = open(sys.argv[1], 'w', buffering=1)\nprint('ready', flush=True)\nsys.stdin.readline()\nf.write('x' * 4000)\nf.flush()", file])
            { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true })!;
        Assert.Equal("ready", await writer.StandardOutput.ReadLineAsync());
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        await writer.StandardInput.WriteLineAsync("go");
        await writer.WaitForExitAsync();
        await probe.CollectAsync(m => seen.Enqueue(m));
        Assert.Equal((4000UL, 1UL), Sum(seen, FilesMeasurements.Write, writer.Id, file));
    }

    [KernelFact]
    public async Task Changing_monitor_dirs_updates_the_kernel_set_in_place()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var a = tmp.Dir("a");
        var b = tmp.Dir("b");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(a), new ProbeCounters());
        var links = probe.Links.Select(l => l.Id).ToArray();
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var (before, _) = await Run("sh", "-c", $"echo 1 > {b}/x; echo 1 > {a}/marker1");
        await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == before && e.Path == $"{a}/marker1", "the first marker");
        Assert.DoesNotContain(seen, m => m.Tags.Get("path_str") == $"{b}/x");

        Assert.False(probe.TryReconfigure(probe.Options with { AggregationInterval = TimeSpan.FromSeconds(3) }));
        Assert.True(probe.TryReconfigure(probe.Options with { MonitorDirs = [b] }));
        var (after, _) = await Run("sh", "-c", $"echo 1 > {a}/y; echo 1 > {b}/marker2");
        await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == after && e.Path == $"{b}/marker2", "the second marker");
        Assert.DoesNotContain(seen, m => m.Tags.Get("path_str") == $"{a}/y");
        Assert.Equal(links, probe.Links.Select(l => l.Id).ToArray());
        Assert.Equal(1, probe.FilesCounters.MonitorUpdates);
        Assert.Throws<FileNotFoundException>(() => probe.TryReconfigure(probe.Options with { MonitorDirs = [Path.Combine(b, "gone")] }));
    }

    [KernelFact]
    public async Task Operations_choose_the_programs_and_dispose_detaches_everything()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var probe = FilesProbe.Attach(Options(tmp.Root) with { Operations = new HashSet<string> { "open" } }, new ProbeCounters());
        Assert.Equal(4, probe.Links.Count);
        var links = probe.Links.Select(l => l.Id).ToArray();
        var programs = probe.Programs.Where(p => p.IsLoaded).Select(p => p.Id).ToArray();
        Assert.Single(programs);
        _ = probe.RunAsync(new QueueSink(new()), CancellationToken.None);
        await probe.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((links.Any(Native.BpfIds.LinkExists) || programs.Any(Native.BpfIds.ProgramExists)) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.DoesNotContain(links, Native.BpfIds.LinkExists);
        Assert.DoesNotContain(programs, Native.BpfIds.ProgramExists);

        await using var all = FilesProbe.Attach(Options(tmp.Root), new ProbeCounters());
        Assert.Equal(FilesProbe.Tracepoints.Values.Sum(t => t.Length), all.Links.Count);
    }

    [KernelFact]
    public async Task A_hard_link_outside_does_not_hide_reads_through_the_monitored_path()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var secret = Path.Combine(monitored, "secret");
        var alias = Path.Combine(tmp.Dir("other"), "alias");
        File.WriteAllText(secret, new string('s', 100));
        await Run("ln", secret, alias);
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        // One inode, two paths: the verdict belongs to the open file, not the inode, in every interval.
        using var reader = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3",
            ["-c", "import os, sys\na = os.open(sys.argv[1], os.O_RDONLY)\ns = os.open(sys.argv[2], os.O_RDONLY)\nfor line in sys.stdin:\n  os.pread(a, 10, 0)\n  os.pread(s, 20, 0)\n  os.pread(a, 10, 0)\n  print('done', flush=True)", alias, secret])
            { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true })!;
        for (var interval = 0; interval < 2; interval++)
        {
            await reader.StandardInput.WriteLineAsync("go");
            Assert.Equal("done", await reader.StandardOutput.ReadLineAsync());
            await probe.CollectAsync(m => seen.Enqueue(m));
        }
        reader.StandardInput.Close();
        await reader.WaitForExitAsync();

        var reads = seen.OfType<FileIoEvent>().Where(e => e.ProcessId == reader.Id).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, e => Assert.Equal((secret, 20UL, 1UL), (e.Path, e.Bytes, e.Calls)));
        Assert.DoesNotContain(seen, m => m.Tags.Get("path_str") == alias);
    }
}
