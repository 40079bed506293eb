using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Probes.Files;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Files.FilesTestKit;

namespace Ingrain.Probes.Tests.Files;

/// <summary>
/// Fidelity against libbpf-tools <c>opensnoop</c> (tracepoint-based, installed by <c>make setup-test</c>) running
/// beside the probe on the same workload: every open of a monitored path it reports appears in the probe's output
/// with the same pid, comm, path and outcome; the probe has every open the workload made (opensnoop may drop some
/// when its perf buffer overflows). The workload opens by absolute path (opensnoop prints the path as written).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class OpensnoopFidelityTests
{
    [KernelFact]
    public async Task Every_monitored_open_opensnoop_reports_appears_with_the_same_pid_comm_path_and_error()
    {
        KernelReady.Ensure();
        using var tmp = new ScratchDir();
        var monitored = tmp.Dir("mon");
        tmp.Dir("mon/sub");
        var outside = tmp.Dir("other");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = FilesProbe.Attach(Options(monitored), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await using var opensnoop = await Opensnoop.StartAsync();

        var pids = new HashSet<int>();
        for (var round = 0; round < 5; round++)
        {
            pids.Add((await Python("""
                import os, sys
                mon, other, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
                for i in range(20):
                    p = f"{mon}/sub/f{n}-{i}.txt" if i % 2 else f"{mon}/f{n}-{i}.txt"
                    with open(p, "w") as f: f.write("x")
                    os.close(os.open(p, os.O_RDONLY))
                    with open(f"{other}/g{i}.txt", "w") as f: f.write("y")
                for missing in [f"{mon}/missing{n}", f"{other}/missing{n}"]:
                    try: os.open(missing, os.O_RDONLY)
                    except FileNotFoundError: pass
                """, monitored, outside, round.ToString(CultureInfo.InvariantCulture))).Pid);
            pids.Add((await Run("cat", Path.Combine(monitored, $"f{round}-0.txt"))).Pid);
        }

        const int produced = 5 * (40 + 1 + 1);
        var rows = (await opensnoop.StopAsync()).Where(r => pids.Contains(r.Pid) && r.Path.StartsWith(monitored + "/", StringComparison.Ordinal)).ToList();
        // opensnoop drops events when its perf buffer overflows (other processes on the machine open files too): it
        // may see fewer than were made, never more; the probe must have every one.
        Assert.True(rows.Count > 0 && rows.Count <= produced, $"opensnoop reported {rows.Count} of {produced} monitored opens:\n{string.Join('\n', rows)}");
        foreach (var row in rows)
        {
            var match = await WaitForAsync<FileOpenEvent>(seen, e => e.Process.ProcessId == row.Pid && e.Path == row.Path
                && (e.Error is null) == (row.Errno == 0), $"the open opensnoop reported as {row}");
            Assert.Equal(row.Comm, match.Process.ThreadCommand);
            if (row.Errno == 2) Assert.Equal("ENOENT", match.Error);
        }
        var ours = seen.OfType<FileOpenEvent>().Where(e => pids.Contains(e.Process.ProcessId)).ToList();
        Assert.Equal(produced, ours.Count);
        Assert.Equal(produced, ours.Select(e => (e.Process.ProcessId, e.Path, e.Flags)).Distinct().Count());
        Assert.Equal(0L, probe.Counters.KernelLost);
    }

    private sealed record OpensnoopRow(int Pid, string Comm, int Fd, int Errno, string Path);

    /// <summary>opensnoop, line-buffered (stdbuf) so its header says it is attached; stopped with SIGINT so it flushes.</summary>
    private sealed class Opensnoop : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Opensnoop(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_lines) _lines.Add(e.Data);
                if (e.Data.StartsWith("PID", StringComparison.Ordinal)) _attached.TrySetResult();
            };
            process.BeginOutputReadLine();
        }

        public static async Task<Opensnoop> StartAsync()
        {
            var psi = new ProcessStartInfo("stdbuf", ["-oL", "opensnoop"]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start opensnoop");
            var snoop = new Opensnoop(process);
            var errors = process.StandardError.ReadToEndAsync();
            var first = await Task.WhenAny(snoop._attached.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
            if (first != snoop._attached.Task)
                throw new InvalidOperationException($"opensnoop did not start (install libbpf-tools: make setup-test): {(process.HasExited ? await errors : "no header in 20 s")}");
            return snoop;
        }

        public async Task<List<OpensnoopRow>> StopAsync()
        {
            await Task.Delay(200); // the last opens reach its perf buffer
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            lock (_lines) return [.. _lines.Skip(1).Select(Parse).OfType<OpensnoopRow>()];
        }

        private static OpensnoopRow? Parse(string line)
        {
            // "%-6d %-16s %3d %3d %s": PID, COMM (may hold spaces, e.g. ".NET TP Worker"), FD, ERR, PATH (the rest).
            if (line.Length < 25 || !int.TryParse(line.AsSpan(0, 6).Trim(), out var pid)) return null;
            var rest = line[24..].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (rest.Length != 3 || !int.TryParse(rest[0], out var fd) || !int.TryParse(rest[1], out var err)) return null;
            return new OpensnoopRow(pid, line[7..23].Trim(), fd, err, rest[2]);
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
