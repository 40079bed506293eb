using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Probes.Network;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>network [seconds] [connections]</c>: the network probe's cost, one run.
/// 1. Bulk loopback TCP throughput (one connection, 256 KiB writes, this process) without and with the probe,
///    alternated three times after a warm-up; the probe's volume for the connection must equal the bytes sent.
/// 2. A storm of short connections (a python process: connect, 100 bytes each way, close) without anything attached,
///    then with the probe and libbpf-tools tcplife attached side by side: connections/s, how many each one reported
///    (every one, 0 lost, is the goal) and each one's CPU per connection.
/// </summary>
internal static class NetworkBenchmark
{
    private const string Storm = """
        import socket, sys, threading, os
        n = int(sys.argv[1])
        sys.stdin.readline()
        srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(512)
        port = srv.getsockname()[1]
        def serve():
            for _ in range(n):
                c, _ = srv.accept(); c.recv(100); c.sendall(b"s" * 100); c.close()
        t = threading.Thread(target=serve); t.start()
        for _ in range(n):
            c = socket.create_connection(("127.0.0.1", port)); c.sendall(b"c" * 100); c.recv(100); c.close()
        t.join()
        """;

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
        BpfPreflight.Run();
        // Every measurement; volumes read only when asked (the interval is an hour); this process is not ignored.
        var options = TopologyLoader.ParseSettings<NetworkProbeOptions>(new NetworkProbeModule(), "volume-interval = 1h, ignore-self = false");
        var ok = true;

        Console.WriteLine($"bulk loopback TCP, {seconds} s per run, 256 KiB writes");
        double off = 0, on = 0;
        Bulk(1); // warm-up: JIT, socket buffer autotuning
        for (var round = 0; round < 3; round++)
        {
            var plain = Bulk(seconds);
            off += plain.MiBps;
            Console.WriteLine($"  without probe          : {plain.MiBps,10:N0} MiB/s");
            var seen = new ConcurrentQueue<Measurement>();
            var probe = NetworkProbe.Attach(options, new ProbeCounters());
            try
            {
                _ = probe.RunAsync(new ActionSink(seen.Enqueue), CancellationToken.None);
                var probed = Bulk(seconds);
                on += probed.MiBps;
                probe.CollectVolumes(seen.Enqueue);
                var counted = seen.OfType<VolumeEvent>().Where(v => v.Outbound && v.Tuple.LocalPort == probed.ClientPort).Sum(v => (long)v.Bytes);
                ok &= counted == probed.Bytes;
                Console.WriteLine($"  with probe             : {probed.MiBps,10:N0} MiB/s  (volume.out {counted:N0} of {probed.Bytes:N0} bytes sent)");
            }
            finally
            {
                probe.DisposeAsync().AsTask().Wait();
            }
        }
        Console.WriteLine($"  ratio with / without   : {on / off,10:F3}");

        Console.WriteLine($"short connections storm, {connections:N0} connections (python, 100 bytes each way)");
        var baseline = RunStorm(connections, _ => { });
        Console.WriteLine($"  nothing attached       : {connections / baseline.TotalSeconds,10:N0} connections/s");
        {
            var closes = 0L;
            var probe = NetworkProbe.Attach(options, new ProbeCounters());
            try
            {
                _ = probe.RunAsync(new ActionSink(m =>
                {
                    if (m is ConnectionEvent { ConnectionKind: ConnectionKind.Close }) Interlocked.Increment(ref closes);
                }), CancellationToken.None);
                var alone = RunStorm(connections, _ => { });
                Console.WriteLine($"  probe alone            : {connections / alone.TotalSeconds,10:N0} connections/s");
            }
            finally
            {
                probe.DisposeAsync().AsTask().Wait();
            }
        }
        {
            // Counted as they arrive (the sink's cost stays out of the probe's CPU): out, in, close of the storm's pid.
            var stormPid = 0;
            var counts = new long[3];
            var probe = NetworkProbe.Attach(options, new ProbeCounters());
            try
            {
                var readerTid = 0;
                _ = probe.RunAsync(new ActionSink(m =>
                {
                    if (readerTid == 0) readerTid = GetTid();
                    if (m is ConnectionEvent e && e.Owner?.ProcessId == Volatile.Read(ref stormPid))
                        Interlocked.Increment(ref counts[(int)e.ConnectionKind]);
                }), CancellationToken.None);
                using var tcplife = Process.Start(new ProcessStartInfo("stdbuf", ["-oL", "tcplife", "-w"])
                    { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
                var lines = new ConcurrentQueue<string>();
                var header = new ManualResetEventSlim();
                tcplife.OutputDataReceived += (_, e) =>
                {
                    if (e.Data is null) return;
                    lines.Enqueue(e.Data);
                    if (e.Data.StartsWith("PID", StringComparison.Ordinal)) header.Set();
                };
                tcplife.BeginOutputReadLine();
                if (!header.Wait(TimeSpan.FromSeconds(20))) throw new InvalidOperationException("tcplife did not start (apt-get install libbpf-tools)");

                var tcplifeCpuBefore = ProcessCpu(tcplife.Id);
                var elapsed = RunStorm(connections, pid => Volatile.Write(ref stormPid, pid));

                var expected = 2L * connections;
                var deadline = Environment.TickCount64 + 10_000;
                while (Environment.TickCount64 < deadline && Interlocked.Read(ref counts[(int)ConnectionKind.Close]) < expected) Thread.Sleep(20);
                var closes = Interlocked.Read(ref counts[(int)ConnectionKind.Close]);
                // The probe's user-space cost is its reader thread (ring buffer, decoder), since it started (idle until
                // the storm but for 50 ms timer wake-ups); the process as a whole also parses tcplife's output here.
                var probeCpu = TimeSpan.FromTicks(ThreadCpuNs(readerTid) / 100);
                Thread.Sleep(500);
                var tcplifeCpu = ProcessCpu(tcplife.Id) - tcplifeCpuBefore;
                using (var kill = Process.Start("kill", ["-INT", tcplife.Id.ToString(CultureInfo.InvariantCulture)])!) kill.WaitForExit();
                tcplife.WaitForExit(10_000);
                var tcplifeRows = lines.Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var pid, ..] && pid == stormPid.ToString(CultureInfo.InvariantCulture));
                var outs = Interlocked.Read(ref counts[(int)ConnectionKind.Out]);
                var ins = Interlocked.Read(ref counts[(int)ConnectionKind.In]);
                var unowned = probe.Unowned;
                probe.DisposeAsync().AsTask().Wait(); // publishes the last counts
                var stats = probe.Counters;
                ok &= closes == expected && outs == connections && ins == connections && stats.KernelLost == 0;
                Console.WriteLine($"  probe + tcplife        : {connections / elapsed.TotalSeconds,10:N0} connections/s");
                Console.WriteLine($"  probe reported         : {closes:N0} of {expected:N0} connection.close, {outs:N0} connection.out, {ins:N0} connection.in; kernel lost {stats.KernelLost}, unowned {unowned}");
                Console.WriteLine($"  probe CPU (reader)     : {probeCpu.TotalMicroseconds / connections,10:F1} µs per connection ({probeCpu.TotalMilliseconds:N0} ms, 4 records each)");
                Console.WriteLine($"  tcplife reported       : {tcplifeRows:N0} of {expected:N0} sessions");
                Console.WriteLine($"  tcplife CPU            : {tcplifeCpu.TotalMicroseconds / connections,10:F1} µs per connection ({tcplifeCpu.TotalMilliseconds:N0} ms)");
            }
            finally
            {
                probe.DisposeAsync().AsTask().Wait();
            }
        }
        Console.WriteLine($"machine                  : {Environment.ProcessorCount} CPUs, Linux {BpfPreflight.KernelVersion()}, {RuntimeInformation.FrameworkDescription}");
        return ok ? 0 : 1;
    }

    private readonly record struct BulkResult(double MiBps, long Bytes, int ClientPort);

    /// <summary>One loopback connection: a thread writes 256 KiB buffers for <paramref name="seconds"/>, another reads.</summary>
    private static BulkResult Bulk(double seconds)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        long received = 0;
        var reader = new Thread(() =>
        {
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = server.Receive(buffer)) > 0) received += n;
        });
        reader.Start();
        var data = new byte[256 * 1024];
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds) sent += client.Send(data);
        client.Shutdown(SocketShutdown.Send);
        reader.Join();
        var elapsed = clock.Elapsed.TotalSeconds;
        return new BulkResult(received / elapsed / (1024 * 1024), sent, ((IPEndPoint)client.LocalEndPoint!).Port);
    }

    /// <summary>The storm waits for a line on stdin, so its pid is known before its first connection.</summary>
    private static TimeSpan RunStorm(int connections, Action<int> started)
    {
        var psi = new ProcessStartInfo("python3", ["-c", Storm, connections.ToString(CultureInfo.InvariantCulture)])
            { UseShellExecute = false, RedirectStandardInput = true };
        using var storm = Process.Start(psi)!;
        started(storm.Id);
        var clock = Stopwatch.StartNew();
        storm.StandardInput.WriteLine("go");
        storm.StandardInput.Close();
        storm.WaitForExit();
        if (storm.ExitCode != 0) throw new InvalidOperationException($"storm exited with {storm.ExitCode}");
        return clock.Elapsed;
    }

    private static int GetTid() => (int)Syscall(186 /* gettid */);

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long Syscall(long number);

    /// <summary>Nanoseconds of CPU a thread of this process has used (first field of /proc/self/task/TID/schedstat).</summary>
    private static long ThreadCpuNs(int tid) =>
        long.Parse(File.ReadAllText($"/proc/self/task/{tid}/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>utime + stime of a process (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms).</summary>
    private static TimeSpan ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Hands every measurement to a callback, on the probe's reader thread.</summary>
    private sealed class ActionSink(Action<Measurement> emit) : IProbeSink
    {
        public void Emit(Measurement measurement) => emit(measurement);

        public void Emit(IReadOnlyList<Measurement> measurements)
        {
            foreach (var m in measurements) emit(m);
        }
    }
}
