using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.Probes.Files;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Files.FilesTestKit;

namespace Ingrain.Probes.Tests.Files;

/// <summary>
/// Loss in the kernel is counted where the operator looks (a full ring, a full io map), exactly; and the process
/// filters drop what they name and nothing else.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class FilesLossAndFilterTests
{
    [KernelFact]
    public async Task Opens_into_a_full_ring_are_counted_as_kernel_lost_exactly()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var counters = new ProbeCounters();
        var seen = new ConcurrentQueue<Measurement>();
        // 4 KiB (the smallest ring) holds about thirty of these records; nobody reads it during the burst.
        await using var probe = FilesProbe.Attach(Options(monitored) with { Operations = new HashSet<string> { "open" } }, counters, null, null,
            ringBytes: 4096, ioEntries: null);
        const int burst = 500;
        var (pid, _) = await Python("import sys\nfor i in range(int(sys.argv[2])): open(f'{sys.argv[1]}/f{i}', 'w').close()", monitored, burst.ToString());

        using var stop = new CancellationTokenSource();
        var run = probe.RunAsync(new QueueSink(seen), stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (counters.KernelLost == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var arrived = seen.OfType<FileOpenEvent>().Count(e => e.Process.ProcessId == pid);
        Assert.True(arrived < burst, "every open arrived: the ring did not overflow, so the test proves nothing");
        // Only this test's process opens under the scratch directory: what did not arrive is exactly what was lost.
        Assert.Equal(burst, arrived + counters.KernelLost);
    }

    [KernelFact]
    public async Task Sums_that_find_the_io_map_full_are_counted_with_their_bytes()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        var counters = new ProbeCounters();
        var own = new FilesProbeCounters();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored) with { Operations = new HashSet<string> { "write" } }, counters, own, null,
            ringBytes: null, ioEntries: 4);
        using var stop = new CancellationTokenSource();
        var run = probe.RunAsync(new QueueSink(seen), stop.Token);
        // Ten files, 100 bytes each: four sums fit the map, six do not.
        var (pid, _) = await Python("import sys\nfor i in range(10):\n  with open(f'{sys.argv[1]}/f{i}', 'w') as f: f.write('x' * 100)", monitored);

        await probe.CollectAsync(m => seen.Enqueue(m));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        var reported = seen.OfType<FileIoEvent>().Where(e => e.ProcessId == pid).ToList();
        Assert.Equal(4, reported.Count);
        Assert.All(reported, e => Assert.Equal(100UL, e.Bytes));
        Assert.Equal((6L, 600L), (own.IoEntriesLost, own.IoBytesLost));
        Assert.Equal(6L, counters.KernelLost);
    }

    [KernelFact]
    public async Task The_ignored_process_id_is_dropped_in_the_kernel_and_ignored_names_in_user_space()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        // A shell that writes only when told to: its pid is known before the probe is attached.
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"read line; echo hidden > {monitored}/by-ignored-pid"])
            { UseShellExecute = false, RedirectStandardInput = true })!;
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored) with { IgnoredProcessId = shell.Id, IgnoredProcesses = new HashSet<string> { "python3" } },
            new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        await shell.StandardInput.WriteLineAsync("go");
        shell.StandardInput.Close();
        await shell.WaitForExitAsync();
        var (python, _) = await Python("import sys\nopen(sys.argv[1] + '/by-python', 'w').write('hidden')", monitored);
        // The ring is ordered: once the later cat is seen, the earlier opens would have been too.
        var (cat, _) = await Run("cat", "/dev/null", Path.Combine(monitored, "by-python"));
        await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == cat, "cat's open");
        await probe.CollectAsync(m => seen.Enqueue(m));

        Assert.DoesNotContain(seen, m => m.Tags.Get("process_id") is { } p && (p == shell.Id.ToString() || p == python.ToString()));
        Assert.Equal(6UL, Sum(seen, FilesMeasurements.Read, cat, Path.Combine(monitored, "by-python")).Bytes);
    }
}
