using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Probes.Network;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Network.NetworkTestKit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>
/// Fidelity against libbpf-tools <c>tcplife</c> (tracepoint-based, installed by <c>make setup-test</c>) running beside
/// the probe: every connection it reports for the test's peers appears with the same pid, ports and byte counts.
/// tcplife prints KiB with two decimals from <c>bytes_acked</c>/<c>bytes_received</c>, which count SYN and FIN (up to
/// 2 bytes): the probe's payload bytes must round to within that.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TcplifeFidelityTests
{
    [KernelFact]
    public async Task Every_connection_tcplife_reports_appears_with_the_same_pid_ports_and_bytes()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = NetworkProbe.Attach(Options(), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await using var tcplife = await Tcplife.StartAsync();

        var pids = new HashSet<int>();
        (string Host, int ClientSends, int ServerSends)[] exchanges =
            [("127.0.0.1", 1000, 2000), ("::1", 70_000, 3), ("127.0.0.1", 0, 5), ("::1", 1_500_000, 250_000), ("127.0.0.1", 1, 0)];
        foreach (var (host, clientSends, serverSends) in exchanges)
        {
            await using var server = NetPeer.Start("tcp-server", host, serverSends);
            var port = (await server.ReadAsync()).GetProperty("port").GetInt32();
            await using var client = NetPeer.Start("tcp-client", host, port, clientSends);
            await client.ReadAsync();
            await server.ReadAsync();
            await Task.WhenAll(client.ExitAsync(), server.ExitAsync());
            pids.Add(client.Pid);
            pids.Add(server.Pid);
        }
        await using (var refused = NetPeer.Start("refused", "127.0.0.1", ClosedPort("127.0.0.1")))
        {
            await refused.ReadAsync();
            await refused.ExitAsync();
            pids.Add(refused.Pid);
        }

        var rows = (await tcplife.StopAsync()).Where(r => pids.Contains(r.Pid)).ToList();
        // Two sides per exchange, and the refused connect.
        Assert.True(rows.Count == exchanges.Length * 2 + 1, $"tcplife reported {rows.Count} rows for the peers:\n{string.Join('\n', rows)}");
        foreach (var row in rows)
        {
            var match = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind != ConnectionKind.In && e.Owner?.ProcessId == row.Pid
                && e.Tuple.LocalPort == row.LocalPort && e.Tuple.RemotePort == row.RemotePort
                && (e.ConnectionKind == ConnectionKind.Close || e.Error is not null), $"the connection tcplife reported as {row}");
            Assert.Equal(row.LocalAddress, match.Tuple.Local.ToString());
            Assert.Equal(row.RemoteAddress, match.Tuple.Remote.ToString());
            AssertSameKib(row.TxKib, match.TxBytes, row, "tx");
            AssertSameKib(row.RxKib, match.RxBytes, row, "rx");
        }
    }

    private static void AssertSameKib(double tcplifeKib, ulong bytes, TcplifeRow row, string what) =>
        Assert.True(Math.Abs(bytes / 1024.0 - tcplifeKib) <= 0.005 + 2.5 / 1024,
            $"{what}: tcplife {tcplifeKib} KiB, probe {bytes} bytes ({bytes / 1024.0:F3} KiB) for {row}");

    private sealed record TcplifeRow(int Pid, string Command, string LocalAddress, int LocalPort, string RemoteAddress, int RemotePort,
        double TxKib, double RxKib);

    /// <summary>tcplife -w, line-buffered (stdbuf) so its header says it is attached; stopped with SIGINT so it flushes.</summary>
    private sealed class Tcplife : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Tcplife(Process process)
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

        public static async Task<Tcplife> StartAsync()
        {
            var psi = new ProcessStartInfo("stdbuf", ["-oL", "tcplife", "-w"]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start tcplife");
            var tcplife = new Tcplife(process);
            var errors = process.StandardError.ReadToEndAsync();
            var first = await Task.WhenAny(tcplife._attached.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
            if (first != tcplife._attached.Task)
                throw new InvalidOperationException($"tcplife did not start (install libbpf-tools: make setup-test): {(process.HasExited ? await errors : "no header in 20 s")}");
            return tcplife;
        }

        public async Task<List<TcplifeRow>> StopAsync()
        {
            await Task.Delay(200); // the last closes reach its perf buffer
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            lock (_lines) return [.. _lines.Skip(1).Select(Parse).OfType<TcplifeRow>()];
        }

        private static TcplifeRow? Parse(string line)
        {
            // PID COMM LADDR LPORT RADDR RPORT TX_KB RX_KB MS
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 9 || !int.TryParse(f[0], out var pid)) return null;
            return new TcplifeRow(pid, f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture), f[4], int.Parse(f[5], CultureInfo.InvariantCulture),
                double.Parse(f[6], CultureInfo.InvariantCulture), double.Parse(f[7], CultureInfo.InvariantCulture));
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
