using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Probes.Tls;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>tls [handshakes] [megabytes]</c>: the TLS probe's cost, one run. A python client makes the handshakes with a
/// local <c>openssl s_server</c> one after the other (connect, TLS 1.3 handshake with SNI and ALPN, close): with
/// nothing attached, then with the probe. Reported: handshakes/s each way; with the probe how many of the 4 hellos
/// per handshake (ClientHello out and in, ServerHello out and in) came out (all, 0 lost, is the goal); the reader
/// thread's CPU per hello; the parser and fingerprints alone on openssl's ClientHello; and loopback bulk TLS
/// throughput (python ssl client and server) with and without the probe.
/// </summary>
internal static class TlsBenchmark
{
    private const string Client = """
        import socket, ssl, sys
        n, port = int(sys.argv[1]), int(sys.argv[2])
        ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["h2", "http/1.1"]); ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        sys.stdin.readline()
        for i in range(n):
            with socket.create_connection(("127.0.0.1", port)) as raw:
                with ctx.wrap_socket(raw, server_hostname="bench.test") as s:
                    pass
        """;

    private const string Bulk = """
        import socket, ssl, sys, threading, time
        mb, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); sctx.load_cert_chain(cert, key)
        cctx = ssl.create_default_context(); cctx.check_hostname = False; cctx.verify_mode = ssl.CERT_NONE
        l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1); port = l.getsockname()[1]
        def serve():
            c, _ = l.accept()
            with sctx.wrap_socket(c, server_side=True) as s:
                buf = b"x" * 65536
                for _ in range(mb * 16): s.sendall(buf)
        threading.Thread(target=serve, daemon=True).start()
        with cctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="bulk.test") as s:
            got, t = 0, time.monotonic()
            while got < mb * 1048576:
                d = s.recv(1 << 20)
                if not d: break
                got += len(d)
            print(got / 1048576 / (time.monotonic() - t))
        """;

    public static int Run(string[] args)
    {
        var handshakes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
        var megabytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        BpfPreflight.Run();
        var dir = Directory.CreateTempSubdirectory("ingrain-tls-bench").FullName;
        var (cert, key) = (Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=bench.test",
            "-keyout", key, "-out", cert);
        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo("openssl",
            ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key, "-alpn", "h2,http/1.1", "-quiet", "-naccept", "1000000"])
            { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true })!;
        // s_server logs each client's close without close_notify: drained, not shown.
        server.ErrorDataReceived += (_, _) => { };
        server.OutputDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            RunClient(200, port, _ => { }); // warm-up; fails loudly if s_server is not there
            var ok = true;
            Console.WriteLine($"{handshakes:N0} TLS 1.3 handshakes, one after the other, python ssl client -> openssl s_server on 127.0.0.1");
            var plain = RunClient(handshakes, port, _ => { });
            Console.WriteLine($"  nothing attached       : {handshakes / plain.TotalSeconds,10:N0} handshakes/s");

            var options = TopologyLoader.ParseSettings<TlsProbeOptions>(new TlsProbeModule(), "ignore-self = false");
            var clientPid = 0;
            long mine = 0;
            var readerTid = 0;
            var probe = TlsProbe.Attach(options, new ProbeCounters());
            double bulkWith;
            try
            {
                _ = probe.RunAsync(new ActionSink(m =>
                {
                    if (readerTid == 0) readerTid = GetTid();
                    if (m is TlsHelloEvent e && (e.Owner?.ProcessId == Volatile.Read(ref clientPid) || e.Owner?.ProcessId == server.Id)
                        && e.Hello.ServerNames is not ["bulk.test"])
                        Interlocked.Increment(ref mine);
                }), CancellationToken.None);
                var probed = RunClient(handshakes, port, pid => Volatile.Write(ref clientPid, pid));
                var expected = 4L * handshakes;
                var deadline = Environment.TickCount64 + 10_000;
                while (Environment.TickCount64 < deadline && Interlocked.Read(ref mine) < expected) Thread.Sleep(20);
                var readerCpu = TimeSpan.FromTicks(ThreadCpuNs(readerTid) / 100);
                bulkWith = BulkMiBs(megabytes, cert, key);
                probe.DisposeAsync().AsTask().Wait();
                var stats = probe.Counters;
                var reported = Interlocked.Read(ref mine);
                ok &= reported == expected && stats.KernelLost == 0 && stats.Malformed == 0;
                Console.WriteLine($"  with probe             : {handshakes / probed.TotalSeconds,10:N0} handshakes/s");
                Console.WriteLine($"  probe reported         : {reported:N0} of {expected:N0} hellos; kernel lost {stats.KernelLost}, malformed {stats.Malformed}, " +
                                  $"duplicates {probe.TlsCounters.Duplicates}, unowned {probe.TlsCounters.Unowned}, truncated {probe.TlsCounters.Truncated}");
                Console.WriteLine($"  probe CPU (reader)     : {readerCpu.TotalMicroseconds * 1000 / expected,10:N0} ns per hello ({readerCpu.TotalMilliseconds:N0} ms, the bulk run's included)");
            }
            finally
            {
                probe.DisposeAsync().AsTask().Wait();
            }
            var bulkWithout = BulkMiBs(megabytes, cert, key);
            Console.WriteLine($"  bulk TLS, {megabytes} MiB       : {bulkWithout,10:N0} MiB/s nothing attached, {bulkWith:N0} MiB/s with the probe");

            // The parser and fingerprints alone, on a ClientHello like openssl's (TLS 1.3, SNI, ALPN, 11 extensions).
            var hello = CapturedOpenSslHello();
            const int parses = 200_000;
            for (var i = 0; i < 10_000; i++) TlsParser.TryParse(hello, out _);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < parses; i++) TlsParser.TryParse(hello, out _);
            var parse = clock.Elapsed;
            TlsParser.TryParse(hello, out var h);
            clock.Restart();
            for (var i = 0; i < parses; i++)
            {
                _ = TlsFingerprints.Md5(TlsFingerprints.Ja3String(h!));
                _ = TlsFingerprints.Ja4(h!);
            }
            Console.WriteLine($"  parser alone           : {parse.TotalNanoseconds / parses,10:N0} ns per ClientHello ({hello.Length} bytes); JA3 + JA4 {clock.Elapsed.TotalNanoseconds / parses:N0} ns");
            Console.WriteLine($"machine                  : {Environment.ProcessorCount} CPUs, Linux {BpfPreflight.KernelVersion()}, {RuntimeInformation.FrameworkDescription}");
            return ok ? 0 : 1;
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
            Directory.Delete(dir, true);
        }
    }

    // The shape openssl 3.0's s_client sends: record, handshake, 32-byte random and session id, 4 suites, 11 extensions.
    private static byte[] CapturedOpenSslHello()
    {
        static byte[] Ext(ushort type, byte[] data) => [(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length, .. data];
        byte[] extensions =
        [
            .. Ext(0, [0, 13, 0, 0, 10, .. "bench.test"u8]), .. Ext(11, [3, 0, 1, 2]),
            .. Ext(10, [0, 20, 0, 0x1d, 0, 0x17, 0, 0x1e, 0, 0x19, 0, 0x18, 1, 0, 1, 1, 1, 2, 1, 3, 1, 4]), .. Ext(35, []),
            .. Ext(16, [0, 12, 2, .. "h2"u8, 8, .. "http/1.1"u8]), .. Ext(22, []), .. Ext(23, []),
            .. Ext(13, [0, 8, 4, 3, 8, 4, 4, 1, 5, 3]), .. Ext(43, [2, 3, 4]), .. Ext(45, [1, 1]), .. Ext(51, [0, 38, 0, 0x1d, 0, 32, .. new byte[32]]),
        ];
        byte[] body = [3, 3, .. new byte[32], 32, .. new byte[32], 0, 8, 0x13, 2, 0x13, 3, 0x13, 1, 0, 0xff, 1, 0,
            (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions];
        byte[] handshake = [1, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body];
        return [0x16, 3, 1, (byte)(handshake.Length >> 8), (byte)handshake.Length, .. handshake];
    }

    private static double BulkMiBs(int megabytes, string cert, string key)
    {
        var psi = new ProcessStartInfo("python3", ["-c", Bulk, megabytes.ToString(CultureInfo.InvariantCulture), cert, key])
            { UseShellExecute = false, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"bulk TLS run exited with {p.ExitCode}");
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static TimeSpan RunClient(int handshakes, int port, Action<int> started)
    {
        var psi = new ProcessStartInfo("python3", ["-c", Client, handshakes.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture)])
            { UseShellExecute = false, RedirectStandardInput = true };
        using var client = Process.Start(psi)!;
        started(client.Id);
        var clock = Stopwatch.StartNew();
        client.StandardInput.WriteLine("go");
        client.StandardInput.Close();
        client.WaitForExit();
        if (client.ExitCode != 0) throw new InvalidOperationException($"tls client exited with {client.ExitCode}");
        return clock.Elapsed;
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {p.ExitCode}");
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
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
