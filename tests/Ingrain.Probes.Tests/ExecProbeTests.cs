using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.Native;
using Ingrain.Probes.Exec;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>The exec probe attached to the real kernel while this test starts real processes.</summary>
[Collection(KernelCollection.Name)]
public sealed class ExecProbeTests
{
    [KernelFact]
    public async Task Exec_and_exit_events_carry_pid_ppid_path_args_and_exit_code()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        using var cts = new CancellationTokenSource();
        var probe = ExecProbe.Attach(ProbeSettings.Exec, new ProbeCounters());
        await using (probe)
        {
            var run = probe.RunAsync(new QueueSink(seen), cts.Token);
            var marker = $"ingrain-test-{Guid.NewGuid():N}";
            var trueProcess = await RunAsync("/bin/true", marker, "second arg");
            var shProcess = await RunAsync("/bin/sh", "-c", "exit 7");

            var exec = await WaitForAsync<ExecEvent>(seen, e => e.Process.ProcessId == trueProcess);
            Assert.Equal("/bin/true", exec.Path);
            Assert.Equal(["/bin/true", marker, "second arg"], exec.Args);
            Assert.Equal(Environment.ProcessId, exec.Process.ParentProcessId);
            Assert.Equal("true", exec.Process.Command);
            Assert.Equal(0u, exec.Process.Uid);
            Assert.Equal($"/bin/true {marker} second arg", exec.Tags.Get("args_str"));
            Assert.InRange(exec.Timestamp, Measurement.NowNanos() - 60_000_000_000, Measurement.NowNanos());

            var trueExit = await WaitForAsync<ExitEvent>(seen, e => e.Process.ProcessId == trueProcess);
            Assert.Equal((0, 0), (trueExit.ExitCode, trueExit.Signal));
            Assert.True(trueExit.DurationNs > 0);

            var shExec = await WaitForAsync<ExecEvent>(seen, e => e.Process.ProcessId == shProcess);
            Assert.Equal(["/bin/sh", "-c", "exit 7"], shExec.Args);
            var shExit = await WaitForAsync<ExitEvent>(seen, e => e.Process.ProcessId == shProcess);
            Assert.Equal(7, shExit.ExitCode);
            Assert.Equal("7", shExit.Tags.Get("exit_code_id"));
            Assert.Equal(Environment.ProcessId, shExit.Process.ParentProcessId);

            cts.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            var stats = probe.Counters;
            Assert.Equal((0L, 0L, 0L), (stats.Malformed, stats.KernelLost, stats.HandlerFailures));
        }
    }

    [KernelFact]
    public async Task A_process_killed_by_a_signal_reports_the_signal()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = ExecProbe.Attach(ProbeSettings.Exec, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        var pid = await RunAsync("/bin/sh", "-c", "kill -TERM $$");
        var exit = await WaitForAsync<ExitEvent>(seen, e => e.Process.ProcessId == pid);
        Assert.Equal((0, 15), (exit.ExitCode, exit.Signal));
        Assert.Equal("15", exit.Tags.Get("signal_id"));
    }

    [KernelFact]
    public async Task A_process_whose_main_thread_leaves_first_exits_once_when_its_last_thread_exits()
    {
        KernelReady.Ensure();
        var program = await MainThreadLeavesFirstProgram.BuildAsync();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = ExecProbe.Attach(ProbeSettings.Exec, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var pid = await RunAsync(program);
        var exit = await WaitForAsync<ExitEvent>(seen, e => e.Process.ProcessId == pid);
        Assert.Equal((3, 0), (exit.ExitCode, exit.Signal));
        Assert.NotEqual(pid, exit.Process.ThreadId);
        Assert.Equal(MainThreadLeavesFirstProgram.Name, exit.Process.Command);
        // The ring is ordered: an exit reported when the main thread left would precede this one.
        Assert.Single(seen, m => m is ExitEvent e && e.Process.ProcessId == pid);
    }

    [KernelFact]
    public async Task Dispose_detaches_every_link_and_unloads_every_program()
    {
        KernelReady.Ensure();
        var probe = ExecProbe.Attach(ProbeSettings.Exec, new ProbeCounters());
        var links = probe.Links.Select(l => l.Id).ToArray();
        var programs = probe.Programs.Select(p => p.Id).ToArray();
        Assert.Equal(2, links.Length);
        Assert.All(links, id => Assert.True(id != 0 && BpfIds.LinkExists(id)));
        Assert.All(programs, id => Assert.True(BpfIds.ProgramExists(id)));
        _ = probe.RunAsync(new QueueSink(new()), CancellationToken.None);

        await probe.DisposeAsync();

        Assert.True(await EventuallyAsync(() => !links.Any(BpfIds.LinkExists)), "a link of the exec probe is still attached");
        Assert.True(await EventuallyAsync(() => !programs.Any(BpfIds.ProgramExists)), "a program of the exec probe is still loaded");
    }

    [KernelFact]
    public async Task The_ignored_process_is_filtered_in_the_kernel_and_exits_can_be_turned_off()
    {
        KernelReady.Ensure();
        // A shell that execs only when told to: its pid is known before the probe is attached.
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "read line; exec /bin/true"])
            { UseShellExecute = false, RedirectStandardInput = true })!;
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = ExecProbe.Attach(ProbeSettings.Exec with { EmitExits = false, IgnoredProcessId = shell.Id }, new ProbeCounters());
        Assert.Single(probe.Links);
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        await shell.StandardInput.WriteLineAsync("go");
        shell.StandardInput.Close();
        await shell.WaitForExitAsync();
        // The ring is ordered by reservation: once a later exec is seen, the ignored one would have been seen too.
        var control = await RunAsync("/bin/true");
        await WaitForAsync<ExecEvent>(seen, e => e.Process.ProcessId == control);

        Assert.DoesNotContain(seen, m => m is ExecEvent e && e.Process.ProcessId == shell.Id);
        Assert.DoesNotContain(seen, m => m is ExitEvent);
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static async Task<T> WaitForAsync<T>(ConcurrentQueue<Measurement> seen, Func<T, bool> match) where T : Measurement
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (seen.OfType<T>().FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"no matching {typeof(T).Name} within 10 s; saw {seen.Count} measurements");
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
