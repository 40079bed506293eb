using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Backends.Parquet;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>parquet [measurements]</c>: one batch (default 100,000 measurements shaped like the exec, network and syscalls
/// probes' events) encoded as gzipped NDJSON (the S3 backend's default) and as Parquet (zstd, snappy), five times each
/// after a warm-up: bytes per measurement, encode time (median), bytes allocated, and the peak growth of the managed
/// heap's live bytes during one encode (a sampler thread runs a full blocking collection about every millisecond and reads
/// what survived; the batch itself is allocated before the baseline), against the
/// encoded size. Goal: the peak is a small multiple of the encoded Parquet file.
/// </summary>
internal static class ParquetBenchmark
{
    private static readonly string[] Processes = ["sshd", "curl", "python3", "nginx", "postgres", "cat", "bash", "node"];
    private static readonly string[] Syscalls = ["openat", "read", "write", "close", "mmap", "futex"];

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var rowGroup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 131_072;
        var batch = Batch(count);
        Console.WriteLine($"{count:N0} measurements per batch, Parquet row groups of {rowGroup:N0} rows");
        Console.WriteLine("| encoding | bytes | bytes/measurement | encode ms (median of 5) | allocated MiB | peak live growth MiB | peak / encoded |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Report("NDJSON + gzip", () => NdjsonGz(batch));
        Report("Parquet, zstd", () => Parquet(batch, ParquetCompression.Zstd, rowGroup));
        Report("Parquet, snappy", () => Parquet(batch, ParquetCompression.Snappy, rowGroup));
        return 0;
    }

    private static byte[] NdjsonGz(IReadOnlyList<Measurement> batch)
    {
        var lines = new ArrayBufferWriter<byte>(256 * 1024);
        foreach (var m in batch) MeasurementJson.WriteLine(lines, m);
        return GzipCompression.Compress(lines.WrittenSpan);
    }

    private static byte[] Parquet(IReadOnlyList<Measurement> batch, ParquetCompression compression, int rowGroup) =>
        new ParquetBatchEncoder(new ParquetSettings(rowGroup, compression)).EncodeAsync(batch, "web-1.example.com").GetAwaiter().GetResult();

    private static void Report(string name, Func<byte[]> encode)
    {
        var size = encode().Length; // warm-up
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            size = encode().Length;
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!done.IsSet)
            {
                // A full blocking collection: what is live at this instant, garbage excluded.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        sampler.Start();
        var body = encode();
        done.Set();
        sampler.Join();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var growth = peak - baseline;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {size:N0} | {(double)size / BatchSize:F1} | {times[2]:F0} | {allocated / 1048576.0:F1} | {growth / 1048576.0:F1} | {(double)growth / body.Length:F1} |"));
    }

    private static int BatchSize;

    /// <summary>Events as the probes emit them: exec (with path and argv), network connections and volumes, syscall counts.</summary>
    private static Measurement[] Batch(int count)
    {
        BatchSize = count;
        var random = new Random(42);
        var t = 1_796_315_078_678_124_675L;
        var batch = new Measurement[count];
        for (var i = 0; i < count; i++)
        {
            t += random.Next(1, 200_000);
            var process = Processes[random.Next(Processes.Length)];
            var pid = (20_000 + random.Next(2_000)).ToString(CultureInfo.InvariantCulture);
            batch[i] = (i % 10) switch
            {
                0 => new Measurement(t, MeasurementKind.Counter, "process.exec", MeasurementValue.Count(1), Tags.Of(
                    ("process_id", pid), ("process_str", process), ("thread_id", pid), ("ppid_id", "1"), ("uid_id", "0"), ("gid_id", "0"),
                    ("cgroup_id", "4097"), ("path_str", "/usr/bin/" + process), ("args_str", $"/usr/bin/{process} --port {random.Next(65536)}"))),
                < 5 => new Measurement(t, MeasurementKind.Counter, "connection.out", MeasurementValue.Count(1), Tags.Of(
                    ("process_id", pid), ("process_str", process), ("thread_id", pid), ("thread_str", process), ("uid_id", "0"),
                    ("s_ip", "10.0.0.5"), ("s_port", random.Next(32768, 61000).ToString(CultureInfo.InvariantCulture)),
                    ("d_ip", $"192.0.2.{random.Next(256)}"), ("d_port", "443"), ("proto", "tcp"), ("family", "ipv4"))),
                < 8 => new Measurement(t, MeasurementKind.Counter, "volume.out", MeasurementValue.Bytes(random.Next(100_000)), Tags.Of(
                    ("process_id", pid), ("process_str", process), ("uid_id", "0"), ("s_ip", "10.0.0.5"), ("s_port", "41114"),
                    ("d_ip", $"192.0.2.{random.Next(256)}"), ("d_port", "443"), ("proto", "tcp"), ("family", "ipv4"), ("interval_ms", "2000"))),
                _ => new Measurement(t, MeasurementKind.Counter, "syscall.enter", MeasurementValue.Count(random.Next(1, 500)), Tags.Of(
                    ("process_id", pid), ("process_str", process), ("syscall_str", Syscalls[random.Next(Syscalls.Length)]), ("syscall_id", "257"))),
            };
        }
        return batch;
    }
}
