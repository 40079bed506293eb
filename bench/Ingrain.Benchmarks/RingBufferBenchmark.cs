using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Probes;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>ringbuf [seconds] [wake-up KiB]</c>: the ring buffer path's ceiling. A tight loop calls getppid(2); a tiny BPF program
/// (bpf/bench/ringbuf_bench.bpf.c) writes one 16-byte record per call; the C# <see cref="RingBufferReader"/>
/// consumes them on its thread. Prints the loop's rate with nothing attached, then records/s consumed, kernel-side
/// losses (failed reservations), user-side losses (produced but never consumed, sequence gaps) and CPU per record.
/// </summary>
internal static partial class RingBufferBenchmark
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var wakeupKiB = args.Length > 1 ? ulong.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 256;
        // 0 KiB = the kernel's default, a wake-up per record; otherwise batched wake-ups plus a 10 ms reader timer.
        var batching = wakeupKiB == 0 ? null : new RingBufferBatching(wakeupKiB * 1024, TimeSpan.FromMilliseconds(10));
        BpfPreflight.Run();

        var baseline = Loop(seconds);
        Console.WriteLine($"loop, nothing attached : {baseline.Calls / baseline.Elapsed.TotalSeconds,14:N0} calls/s  ({baseline.CpuNs / (double)baseline.Calls,6:F0} ns CPU/call)");

        using var obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.RingBufferBench);
        obj.SetGlobal("target_tgid", (uint)Environment.ProcessId);
        batching?.ApplyTo(obj);
        obj.Load();
        using var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), batching);
        var counter = new SequenceCheck();
        using var stop = new CancellationTokenSource();
        var run = reader.RunAsync(counter.OnRecord, stop.Token);
        Loop(0.2); // warm-up: JIT of the handler, first wake-ups (not attached yet: the link comes next)

        LoopResult attached;
        TimeSpan drained;
        long allocatedBefore;
        using (obj.Program("ingrain_bench").AttachTracepoint("syscalls", "sys_enter_getppid"))
        {
            allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            attached = Loop(seconds);
            // Let the reader finish what the loop produced (bounded: a stalled reader shows up as user-side loss).
            var deadline = Environment.TickCount64 + 10_000;
            while (reader.Consumed + reader.KernelLost < attached.Calls && Environment.TickCount64 < deadline) Thread.Sleep(1);
            drained = clock.Elapsed;
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var readerCpuNs = counter.ReaderCpuNs();
        stop.Cancel();
        run.Wait();

        var consumed = reader.Consumed;
        var kernelLost = reader.KernelLost;
        var userLost = attached.Calls - consumed - kernelLost;
        Console.WriteLine($"loop, probe attached   : {attached.Calls / attached.Elapsed.TotalSeconds,14:N0} calls/s  ({attached.CpuNs / (double)attached.Calls,6:F0} ns CPU/call, BPF program included)");
        Console.WriteLine($"records consumed       : {consumed / drained.TotalSeconds,14:N0} records/s  ({consumed:N0} in {drained.TotalSeconds:F2} s)");
        Console.WriteLine($"reader CPU per record  : {readerCpuNs / (double)Math.Max(1, consumed),14:F1} ns  (reader thread: {readerCpuNs / 1e6:F0} ms CPU)");
        Console.WriteLine($"managed allocation     : {allocated / (double)Math.Max(1, consumed),14:F3} bytes/record  ({allocated:N0} bytes in the whole process while attached)");
        Console.WriteLine($"lost, kernel side      : {kernelLost,14:N0}  (ring full: reservation failed)");
        Console.WriteLine($"lost, user side        : {userLost,14:N0}  (produced, never consumed); sequence gaps {counter.Gaps:N0}, bad records {counter.Malformed:N0}");
        Console.WriteLine($"wake-ups               : {(batching is null ? "kernel default (per record)" : $"batched at {wakeupKiB} KiB, reader timer {batching.MaxDelay.TotalMilliseconds} ms")}");
        Console.WriteLine($"machine                : {Environment.ProcessorCount} CPUs, Linux {BpfPreflight.KernelVersion()}, {RuntimeInformation.FrameworkDescription}");
        return kernelLost == 0 && userLost == 0 && counter.Gaps == 0 ? 0 : 1;
    }

    private readonly record struct LoopResult(long Calls, TimeSpan Elapsed, long CpuNs);

    /// <summary>Calls getppid as fast as possible for <paramref name="seconds"/> on the calling thread.</summary>
    private static LoopResult Loop(double seconds)
    {
        var cpuBefore = ThreadCpuNs("thread-self");
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(seconds);
        long calls = 0;
        while (clock.Elapsed < limit)
        {
            for (var i = 0; i < 1000; i++) GetPpid();
            calls += 1000;
        }
        return new LoopResult(calls, clock.Elapsed, ThreadCpuNs("thread-self") - cpuBefore);
    }

    /// <summary>Nanoseconds of CPU a thread has used (first field of /proc/…/schedstat).</summary>
    private static long ThreadCpuNs(string thread) =>
        long.Parse(File.ReadAllText($"/proc/{thread}/schedstat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Counts records and sequence gaps; remembers the reader thread to read its CPU time.</summary>
    private sealed class SequenceCheck
    {
        private ulong _expected;
        private int _readerTid;

        public long Gaps { get; private set; }

        public long Malformed { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> record)
        {
            if (_readerTid == 0) _readerTid = GetTid();
            if (record.Length < 16 || record[0] != (byte)OpCode.Bench)
            {
                Malformed++;
                return;
            }
            var seq = BinaryPrimitives.ReadUInt64LittleEndian(record[8..]);
            if (seq != _expected) Gaps++;
            _expected = seq + 1;
        }

        public long ReaderCpuNs() => _readerTid == 0 ? 0 : ThreadCpuNs($"self/task/{_readerTid}");
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetPpid();

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
