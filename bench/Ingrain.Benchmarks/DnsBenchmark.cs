using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Probes.Dns;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>dns [queries]</c>: the DNS probe's cost, one run. A python client sends the queries to a local dnsmasq one
/// after the other over UDP (send, wait for the answer): with nothing attached, then with the probe. Reported:
/// queries/s each way; with the probe how many of the 4 measurements per exchange (client out, server in, server
/// out, client in) came out (all of them, 0 lost, is the goal); the probe reader thread's CPU per message (ring
/// buffer, parse, measurements); the whole agent process's CPU; and the parser alone on the same answer.
/// </summary>
internal static class DnsBenchmark
{
    private const string Client = """
        import socket, sys, struct
        n, port = int(sys.argv[1]), int(sys.argv[2])
        sys.stdin.readline()
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)
        q = b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01a\x04test\x00\x00\x01\x00\x01"
        for i in range(n):
            s.sendto(struct.pack(">H", i & 0xffff) + q, ("127.0.0.1", port)); s.recv(512)
        """;

    public static int Run(string[] args)
    {
        var queries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        BpfPreflight.Run();
        var port = FreePort();
        using var dnsmasq = Process.Start(new ProcessStartInfo("/usr/sbin/dnsmasq",
        [
            "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--pid-file=", "--user=root", "--log-facility=/dev/null",
            $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--local=/test/", "--local-ttl=300",
            "--host-record=a.test,127.0.0.5",
        ]) { UseShellExecute = false })!;
        try
        {
            Thread.Sleep(500); // dnsmasq binds at start; the warm-up run below fails loudly if it did not
            RunClient(1000, port, _ => { });
            var ok = true;
            Console.WriteLine($"{queries:N0} UDP queries, one after the other, python client -> dnsmasq on 127.0.0.1");
            var plain = RunClient(queries, port, _ => { });
            Console.WriteLine($"  nothing attached       : {queries / plain.TotalSeconds,10:N0} queries/s");

            var options = TopologyLoader.ParseSettings<DnsProbeOptions>(new DnsProbeModule(), $"ports = [{port}], ignore-self = false");
            var clientPid = 0;
            long mine = 0, all = 0;
            var readerTid = 0;
            var probe = DnsProbe.Attach(options, new ProbeCounters());
            try
            {
                _ = probe.RunAsync(new ActionSink(m =>
                {
                    if (readerTid == 0) readerTid = GetTid();
                    if (m.Name == DnsMeasurements.AnswerRecord) return;
                    Interlocked.Increment(ref all);
                    if (m is DnsMessageEvent e && (e.Exchange.Owner?.ProcessId == Volatile.Read(ref clientPid) || e.Exchange.Owner?.ProcessId == dnsmasq.Id))
                        Interlocked.Increment(ref mine);
                }), CancellationToken.None);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var probed = RunClient(queries, port, pid => Volatile.Write(ref clientPid, pid));
                var expected = 4L * queries;
                var deadline = Environment.TickCount64 + 10_000;
                while (Environment.TickCount64 < deadline && Interlocked.Read(ref mine) < expected) Thread.Sleep(20);
                var readerCpu = TimeSpan.FromTicks(ThreadCpuNs(readerTid) / 100);
                var agentCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                probe.DisposeAsync().AsTask().Wait();
                var stats = probe.Counters;
                var reported = Interlocked.Read(ref mine);
                ok &= reported == expected && stats.KernelLost == 0 && stats.Malformed == 0;
                Console.WriteLine($"  with probe             : {queries / probed.TotalSeconds,10:N0} queries/s");
                Console.WriteLine($"  probe reported         : {reported:N0} of {expected:N0} query/answer measurements; kernel lost {stats.KernelLost}, malformed {stats.Malformed}, " +
                                  $"duplicates {probe.DnsCounters.Duplicates}, unowned {probe.DnsCounters.Unowned}");
                Console.WriteLine($"  probe CPU (reader)     : {readerCpu.TotalMicroseconds * 1000 / expected,10:N0} ns per message ({readerCpu.TotalMilliseconds:N0} ms, + {queries:N0} answer records)");
                Console.WriteLine($"  agent process CPU      : {agentCpu.TotalMicroseconds / queries,10:F1} µs per query ({agentCpu.TotalMilliseconds:N0} ms over {probed.TotalSeconds:F1} s)");
            }
            finally
            {
                probe.DisposeAsync().AsTask().Wait();
            }

            // The parser alone, on the answer dnsmasq sends (header, question, one A record).
            byte[] answer = [0, 1, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1,
                0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 127, 0, 0, 5];
            const int parses = 1_000_000;
            for (var i = 0; i < 10_000; i++) DnsParser.TryParse(answer, true, true, out _);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < parses; i++) DnsParser.TryParse(answer, true, true, out _);
            var withRecords = clock.Elapsed;
            clock.Restart();
            for (var i = 0; i < parses; i++) DnsParser.TryParse(answer, false, true, out _);
            Console.WriteLine($"  parser alone           : {withRecords.TotalNanoseconds / parses,10:N0} ns per answer with its record, {clock.Elapsed.TotalNanoseconds / parses:N0} ns header + question only");
            Console.WriteLine($"machine                  : {Environment.ProcessorCount} CPUs, Linux {BpfPreflight.KernelVersion()}, {RuntimeInformation.FrameworkDescription}");
            return ok ? 0 : 1;
        }
        finally
        {
            dnsmasq.Kill();
            dnsmasq.WaitForExit();
        }
    }

    private static TimeSpan RunClient(int queries, int port, Action<int> started)
    {
        var psi = new ProcessStartInfo("python3", ["-c", Client, queries.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture)])
            { UseShellExecute = false, RedirectStandardInput = true };
        using var client = Process.Start(psi)!;
        started(client.Id);
        var clock = Stopwatch.StartNew();
        client.StandardInput.WriteLine("go");
        client.StandardInput.Close();
        client.WaitForExit();
        if (client.ExitCode != 0) throw new InvalidOperationException($"dns client exited with {client.ExitCode}");
        return clock.Elapsed;
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static int GetTid() => (int)Syscall(186 /* gettid */);

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long Syscall(long number);

    private static long ThreadCpuNs(int tid) =>
        long.Parse(File.ReadAllText($"/proc/self/task/{tid}/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);

    private sealed class ActionSink(Action<Measurement> emit) : IProbeSink
    {
        public void Emit(Measurement measurement) => emit(measurement);

        public void Emit(IReadOnlyList<Measurement> measurements)
        {
            foreach (var m in measurements) emit(m);
        }
    }
}
