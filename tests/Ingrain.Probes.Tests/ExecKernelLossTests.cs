using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.Probes.Exec;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>
/// Loss in the kernel is counted where the operator looks: with a tiny ring and a stalled reader, a burst of execs
/// overflows the ring, and every exec that did not arrive is in the probe's <c>kernel-lost</c> counter.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ExecKernelLossTests
{
    private const int Burst = 200;

    [KernelFact]
    public async Task A_burst_into_a_full_ring_is_counted_as_kernel_lost()
    {
        KernelReady.Ensure();
        var counters = new ProbeCounters();
        var seen = new ConcurrentQueue<Measurement>();
        using var release = new ManualResetEventSlim(false);
        // 4 KiB (the smallest ring) holds about forty /bin/true exec records: the first arrival blocks the reader,
        // the ring fills, the rest are lost.
        await using var probe = ExecProbe.Attach(ProbeSettings.Exec with { EmitExits = false, IgnoredProcessId = Environment.ProcessId },
            counters, logger: null, ringBytes: 4096);
        using var stop = new CancellationTokenSource();
        var run = probe.RunAsync(new StallingSink(seen, release), stop.Token);

        var pids = new HashSet<int>();
        for (var i = 0; i < Burst; i++) pids.Add(await RunTrueAsync());
        release.Set();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (counters.KernelLost == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(1500); // one more publication of the counters, after the reader drained the ring
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var arrived = seen.OfType<ExecEvent>().Count(e => pids.Contains(e.Process.ProcessId));
        Assert.True(counters.KernelLost > 0, $"no kernel loss counted; {arrived} of {Burst} execs arrived");
        Assert.True(arrived < Burst, "every exec arrived: the ring did not overflow, so the test proves nothing");
        // Other processes' execs may be lost too, so the count may exceed what this test missed, never fall short.
        Assert.True(arrived + counters.KernelLost >= Burst, $"{arrived} arrived + {counters.KernelLost} counted lost < {Burst} sent");
        Assert.Contains(counters.Snapshot(), c => c.Key == "kernel-lost" && c.Value == counters.KernelLost);
    }

    [KernelFact]
    public async Task A_stalled_reader_loses_nothing_of_a_burst_that_fits_a_1_MiB_ring_because_records_are_variable_length()
    {
        const int burst = 1000;
        KernelReady.Ensure();
        var counters = new ProbeCounters();
        var seen = new ConcurrentQueue<Measurement>();
        using var release = new ManualResetEventSlim(false);
        // A /bin/true exec is ~100 bytes in the ring (header, path, argv): 1,000 take ~100 KiB of 1 MiB, which leaves
        // room for whatever else the machine execs meanwhile (up to ~4.4 KiB each). Fixed-size records (4,416 bytes)
        // would hold 237, and this burst would lose most of itself.
        await using var probe = ExecProbe.Attach(ProbeSettings.Exec with { EmitExits = false, IgnoredProcessId = Environment.ProcessId },
            counters, logger: null, ringBytes: 1024 * 1024);
        using var stop = new CancellationTokenSource();
        var run = probe.RunAsync(new StallingSink(seen, release), stop.Token);

        var pids = new HashSet<int>();
        for (var i = 0; i < burst; i++) pids.Add(await RunTrueAsync());
        release.Set();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        int Arrived() => seen.OfType<ExecEvent>().Count(e => pids.Contains(e.Process.ProcessId));
        while (Arrived() < burst && DateTime.UtcNow < deadline) await Task.Delay(50);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(Arrived() == burst, $"{Arrived()} of {burst} execs arrived, {counters.KernelLost} lost in the kernel");
        Assert.Equal(0, counters.Malformed);
    }

    private static async Task<int> RunTrueAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    /// <summary>Blocks the probe's reader thread on its first measurement until released (a pipeline that cannot keep up).</summary>
    private sealed class StallingSink(ConcurrentQueue<Measurement> seen, ManualResetEventSlim release) : IProbeSink
    {
        public void Emit(Measurement measurement)
        {
            release.Wait();
            seen.Enqueue(measurement);
        }

        public void Emit(IReadOnlyList<Measurement> measurements)
        {
            foreach (var m in measurements) Emit(m);
        }
    }
}
