using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Probes.Syscalls;
using Ingrain.TestSupport.Kernel;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Probes.Tests.Syscalls;

/// <summary>
/// Fidelity against libbpf-tools <c>syscount -p PID</c> (installed by <c>make setup-test</c>) running beside the probe on
/// the same program: every syscall either reports for it has the same count in the other. Two calls differ by design
/// and are left out: syscount counts at sys_exit, the probe at sys_enter, so the read the program was blocked in when
/// both attached is syscount's alone, and exit_group (which never returns) is the probe's alone.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class SyscountFidelityTests(ITestOutputHelper output)
{
    [KernelFact]
    public async Task Syscount_and_the_probe_agree_on_every_count_of_the_program()
    {
        KernelReady.Ensure();
        const long n = 200_000, m = 54_321, k = 1_234;
        var seen = new ConcurrentQueue<Measurement>();
        await using var workload = await SyscallWorkload.StartAsync(n, m, k);
        await using var probe = SyscallsProbe.Attach(ProbeSettings.Syscalls with { Interval = TimeSpan.FromMilliseconds(100) }, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await using var syscount = await Syscount.StartAsync(workload.Pid);

        await workload.RunAsync();
        var theirs = await syscount.StopAsync();
        await SyscallsProbeTests.WaitForDrainsAsync(probe, probe.SyscallCounters.Drains + 2);
        var ours = seen.OfType<SyscallEvent>().Where(e => e.ProcessId == workload.Pid)
            .GroupBy(e => e.SyscallName).ToDictionary(g => g.Key, g => g.Sum(e => (long)e.Calls));

        foreach (var name in theirs.Keys.Union(ours.Keys).Order())
            output.WriteLine($"{name,-12} syscount {theirs.GetValueOrDefault(name),8}  probe {ours.GetValueOrDefault(name),8}");
        Assert.Equal(n, theirs.GetValueOrDefault("getppid"));
        Assert.Equal(m, theirs.GetValueOrDefault("getpgid"));
        Assert.Equal(k, theirs.GetValueOrDefault("getuid"));
        var compared = theirs.Keys.Union(ours.Keys).Where(s => s is not "read" and not "exit_group").Order().ToList();
        Assert.Equal(compared.Select(s => (s, theirs.GetValueOrDefault(s))), compared.Select(s => (s, ours.GetValueOrDefault(s))));
        Assert.Equal(1, ours.GetValueOrDefault("exit_group"));
    }

    /// <summary>syscount -p PID, line-buffered (stdbuf) so its banner says it is attached; stopped with SIGINT, when it prints its table.</summary>
    private sealed class Syscount : IAsyncDisposable
    {
        private static readonly string[] Candidates = ["/usr/sbin/syscount", "/usr/bin/syscount", "/usr/sbin/syscount-bpfcc"];
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Syscount(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_lines) _lines.Add(e.Data);
                if (e.Data.StartsWith("Tracing syscalls", StringComparison.Ordinal)) _attached.TrySetResult();
            };
            process.BeginOutputReadLine();
        }

        public static async Task<Syscount> StartAsync(int pid)
        {
            var binary = Candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"syscount not found ({string.Join(", ", Candidates)}): install libbpf-tools (make setup-test)");
            var psi = new ProcessStartInfo("stdbuf", ["-oL", binary, "-p", pid.ToString(CultureInfo.InvariantCulture), "-T", "100"])
                { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start syscount");
            var syscount = new Syscount(process);
            var errors = process.StandardError.ReadToEndAsync();
            var first = await Task.WhenAny(syscount._attached.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
            if (first != syscount._attached.Task)
                throw new InvalidOperationException($"syscount did not start: {(process.HasExited ? await errors : "no banner in 20 s")}");
            return syscount;
        }

        /// <summary>The counts syscount printed, by syscall name.</summary>
        public async Task<Dictionary<string, long>> StopAsync()
        {
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            lock (_lines)
            {
                // SYSCALL   COUNT, then one "name count" row per syscall.
                foreach (var line in _lines.SkipWhile(l => !l.StartsWith("SYSCALL", StringComparison.Ordinal)).Skip(1))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length == 2 && long.TryParse(f[1], CultureInfo.InvariantCulture, out var count)) counts[f[0]] = count;
                }
                if (counts.Count == 0) throw new InvalidOperationException($"syscount printed no counts:\n{string.Join('\n', _lines)}");
            }
            return counts;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
