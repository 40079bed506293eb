using System.Collections.Concurrent;
using Ingrain.Native;
using Ingrain.Probes.Syscalls;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Probes.Tests.Syscalls;

/// <summary>The syscalls probe attached to the real kernel while a real program makes a known number of calls.</summary>
[Collection(KernelCollection.Name)]
public sealed class SyscallsProbeTests
{
    private static readonly SyscallNames Names = SyscallNames.Current!;

    private static int Nr(string name) => Names.TryGetNumber(name, out var nr) ? nr : throw new KeyNotFoundException(name);

    private static SyscallsProbeOptions Monitoring(params string[] names) =>
        ProbeSettings.Syscalls with { Syscalls = names.Select(Nr).ToHashSet(), Interval = TimeSpan.FromMilliseconds(100) };

    [KernelFact]
    public async Task A_program_calling_getppid_n_times_and_getpgid_m_times_is_counted_exactly_across_intervals_after_it_exited()
    {
        KernelReady.Ensure();
        const long n = 1_000_000, m = 12_345, k = 777;
        var seen = new ConcurrentQueue<Measurement>();
        await using var workload = await SyscallWorkload.StartAsync(n, m, k);
        await using var probe = SyscallsProbe.Attach(Monitoring("getppid", "getpgid"), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        await workload.RunAsync();
        // A drain that started after the exit holds the last calls; the pid's counts span several 100 ms intervals.
        await WaitForDrainsAsync(probe, probe.SyscallCounters.Drains + 2);

        var mine = seen.OfType<SyscallEvent>().Where(e => e.ProcessId == workload.Pid).ToList();
        Assert.Equal(n, Total(mine, "getppid"));
        Assert.Equal(m, Total(mine, "getpgid"));
        // getuid is not monitored: not reported (nor read, write, exit_group).
        Assert.All(mine, e => Assert.Contains(e.SyscallName, (string[])["getppid", "getpgid"]));
        Assert.True(mine.Count(e => e.SyscallName == "getppid") > 1, "a million getppid calls should span more than one 100 ms interval");
        var first = mine.First(e => e.SyscallName == "getppid");
        Assert.Equal(SyscallEvent.MeasurementName, first.Name);
        Assert.Equal(MeasurementKind.Counter, first.Kind);
        Assert.Equal(first.Calls, (ulong)first.Value.Number);
        Assert.Equal(workload.Pid.ToString(), first.Tags.Get("process_id"));
        Assert.Equal(SyscallWorkload.Name, first.Tags.Get("process_str"));
        Assert.Equal("getppid", first.Tags.Get("syscall_str"));
        Assert.Equal(Nr("getppid").ToString(), first.Tags.Get("syscall_id"));
        Assert.All(mine, e => Assert.True(e.Calls > 0));
        Assert.Equal(0L, probe.Counters.KernelLost);
    }

    [KernelFact]
    public async Task Monitoring_every_syscall_counts_the_unmonitored_ones_too_and_never_the_agent_itself()
    {
        KernelReady.Ensure();
        const long n = 5_000, m = 3, k = 4_321;
        var seen = new ConcurrentQueue<Measurement>();
        await using var workload = await SyscallWorkload.StartAsync(n, m, k);
        await using var probe = SyscallsProbe.Attach(ProbeSettings.Syscalls with { Interval = TimeSpan.FromMilliseconds(200) }, new ProbeCounters());
        Assert.True(probe.Programs.Single().IsLoaded);
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        await workload.RunAsync();
        await WaitForDrainsAsync(probe, probe.SyscallCounters.Drains + 2);

        var mine = seen.OfType<SyscallEvent>().Where(e => e.ProcessId == workload.Pid).ToList();
        Assert.Equal(n, Total(mine, "getppid"));
        Assert.Equal(m, Total(mine, "getpgid"));
        Assert.Equal(k, Total(mine, "getuid"));
        Assert.Equal(1, Total(mine, "exit_group"));
        // The test host is the agent here (ignore-self): it made syscalls all along, none was counted.
        Assert.DoesNotContain(seen.OfType<SyscallEvent>(), e => e.ProcessId == Environment.ProcessId);
    }

    [KernelFact]
    public async Task Ignored_process_names_are_dropped_and_a_stopped_probe_reports_its_last_counts()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        await using var ignored = await SyscallWorkload.StartAsync(100, 0, 0);
        var options = Monitoring("getppid") with { Interval = TimeSpan.FromHours(1), IgnoredProcesses = new HashSet<string> { SyscallWorkload.Name } };
        var probe = SyscallsProbe.Attach(options, new ProbeCounters());
        using var cts = new CancellationTokenSource();
        var run = probe.RunAsync(new QueueSink(seen), cts.Token);
        await ignored.RunAsync();
        // A control process with another name in the same (only) interval: sh calls getppid once as it starts ($PPID).
        int control;
        using (var sh = System.Diagnostics.Process.Start("/bin/sh", ["-c", "true"])!)
        {
            control = sh.Id;
            await sh.WaitForExitAsync();
        }

        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await probe.DisposeAsync();

        Assert.Equal(1, probe.SyscallCounters.Drains);
        Assert.DoesNotContain(seen.OfType<SyscallEvent>(), e => e.ProcessId == ignored.Pid);
        var sh1 = Assert.Single(seen.OfType<SyscallEvent>(), e => e.ProcessId == control);
        Assert.Equal(("sh", "getppid", 1UL), (sh1.Command, sh1.SyscallName, sh1.Calls));
    }

    [KernelFact]
    public async Task Pairs_beyond_max_pairs_are_lost_and_counted_as_kernel_lost()
    {
        KernelReady.Ensure();
        const long n = 3_000, m = 2_000, k = 1_000;
        var seen = new ConcurrentQueue<Measurement>();
        await using var workload = await SyscallWorkload.StartAsync(n, m, k);
        var probe = SyscallsProbe.Attach(Monitoring("getppid", "getpgid", "getuid") with { MaxPairs = 1, Interval = TimeSpan.FromHours(1) },
            new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await workload.RunAsync();
        await probe.DisposeAsync(); // drains and publishes a last time

        // One pair fits: at most one of the workload's three syscalls is counted, the calls of the others are lost.
        var mine = seen.OfType<SyscallEvent>().Where(e => e.ProcessId == workload.Pid).ToList();
        Assert.True(mine.Count <= 1, $"max-pairs = 1, yet {mine.Count} pairs were reported");
        var counted = mine.Sum(e => (long)e.Calls);
        Assert.True(probe.SyscallCounters.CallsLost >= n + m + k - counted,
            $"calls-lost {probe.SyscallCounters.CallsLost}, expected at least {n + m + k - counted}");
        Assert.Equal(probe.SyscallCounters.CallsLost, probe.Counters.KernelLost);
    }

    [KernelFact]
    public async Task Dispose_detaches_the_link_and_unloads_the_program()
    {
        KernelReady.Ensure();
        var probe = SyscallsProbe.Attach(Monitoring("getppid"), new ProbeCounters());
        var link = probe.Link.Id;
        var programs = probe.Programs.Select(p => p.Id).ToArray();
        Assert.True(BpfIds.LinkExists(link));
        _ = probe.RunAsync(new QueueSink(new()), CancellationToken.None);

        await probe.DisposeAsync();

        Assert.True(await EventuallyAsync(() => !BpfIds.LinkExists(link)), "the sys_enter link is still attached");
        Assert.True(await EventuallyAsync(() => !programs.Any(BpfIds.ProgramExists)), "the syscalls program is still loaded");
    }

    internal static long Total(IEnumerable<SyscallEvent> events, string syscall) =>
        events.Where(e => e.SyscallName == syscall).Sum(e => (long)e.Calls);

    internal static async Task WaitForDrainsAsync(SyscallsProbe probe, long drains)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (probe.SyscallCounters.Drains < drains)
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"only {probe.SyscallCounters.Drains} drains within 30 s, expected {drains}");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
