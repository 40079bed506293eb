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
}
