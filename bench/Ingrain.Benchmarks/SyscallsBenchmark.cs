using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Native;
using Ingrain.Probes.Syscalls;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>syscalls [calls]</c>: what the syscalls probe costs each syscall, one run. A C program (built with clang) calls
/// getppid <c>calls</c> times (default 10,000,000) and measures the CPU time it spent doing so (CLOCK_PROCESS_CPUTIME_ID:
/// time waiting for a core on a busy machine is not counted, the hook's work in its syscalls is); it runs with nothing attached, with the probe
/// monitoring only getppid, with the probe monitoring another syscall (getppid is filtered out in the kernel), with
/// the probe monitoring every syscall, and beside libbpf-tools <c>syscount -p</c>; three rounds, alternated. The
/// probe's count for the program must be exact every time. Goal: the probe's cost per call ≤ syscount's.
/// </summary>
internal static class SyscallsBenchmark
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>
        #include <unistd.h>
        #include <sys/syscall.h>
        int main(int argc, char **argv) {
            long n = atol(argv[1]);
            char line[16];
            if (read(0, line, sizeof line) < 0) return 3;
            struct timespec a, b;
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
            for (long i = 0; i < n; i++) syscall(SYS_getppid);
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
            printf("%ld\n", (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
            return 0;
        }
        """;

    public static int Run(string[] args)
    {
        var calls = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        BpfPreflight.Run();
        var binary = Build();
        var names = SyscallNames.Current!;
        names.TryGetNumber("getppid", out var getppid);
        names.TryGetNumber("getpgid", out var getpgid);
        var basis = TopologyLoader.ParseSettings<SyscallsProbeOptions>(new SyscallsProbeModule(), "interval = 1h");
        var configurations = new (string Name, Func<int, IAsyncDisposable?> Attach)[]
        {
            ("nothing attached", _ => null),
            ("probe: getppid only", _ => new Probe(basis with { Syscalls = new HashSet<int> { getppid } }, calls)),
            ("probe: another syscall", _ => new Probe(basis with { Syscalls = new HashSet<int> { getpgid } }, 0)),
            ("probe: every syscall", _ => new Probe(basis, calls)),
            ("syscount -p", pid => new Syscount(pid, calls)),
        };
        Console.WriteLine($"{calls:N0} getppid per run, CPU ns per call");
        var totals = new double[configurations.Length];
        Time(binary, calls / 10, _ => null); // warm-up
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < configurations.Length; i++)
            {
                var ns = Time(binary, calls, configurations[i].Attach);
                totals[i] += ns;
                Console.WriteLine($"  round {round + 1}  {configurations[i].Name,-24}: {ns,7:F1}");
            }
        }
        Console.WriteLine("mean over 3 rounds (ns per call, added cost):");
        for (var i = 0; i < configurations.Length; i++)
            Console.WriteLine($"  {configurations[i].Name,-24}: {totals[i] / 3,7:F1}  (+{(totals[i] - totals[0]) / 3,6:F1})");
        return 0;
    }

    private static double Time(string binary, long calls, Func<int, IAsyncDisposable?> attach)
    {
        using var process = Process.Start(new ProcessStartInfo(binary, [calls.ToString(CultureInfo.InvariantCulture)])
            { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true })!;
        var watcher = attach(process.Id);
        try
        {
            process.StandardInput.WriteLine("go");
            process.StandardInput.Close();
            var ns = long.Parse(process.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture);
            process.WaitForExit();
            return (double)ns / calls;
        }
        finally
        {
            watcher?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string Build()
    {
        var dir = Directory.CreateTempSubdirectory("ingrain-bench-syscalls-");
        var source = Path.Combine(dir.FullName, "getppid-loop.c");
        var binary = Path.Combine(dir.FullName, "getppid-loop");
        File.WriteAllText(source, Source);
        using var clang = Process.Start(new ProcessStartInfo("clang", ["-O2", "-o", binary, source]) { UseShellExecute = false })!;
        clang.WaitForExit();
        if (clang.ExitCode != 0) throw new InvalidOperationException("clang could not build the benchmark's program");
        return binary;
    }

    /// <summary>The probe attached in this process; on dispose its last drain must hold exactly the expected getppid count.</summary>
    private sealed class Probe : IAsyncDisposable
    {
        private readonly SyscallsProbe _probe;
        private readonly ConcurrentQueue<Measurement> _seen = new();
        private readonly long _expected;
        private int _pid;

        public Probe(SyscallsProbeOptions options, long expected)
        {
            _probe = SyscallsProbe.Attach(options, new ProbeCounters());
            _ = _probe.RunAsync(new ActionSink(_seen.Enqueue), CancellationToken.None);
            _expected = expected;
        }

        public async ValueTask DisposeAsync()
        {
            await _probe.DisposeAsync();
            _pid = _seen.OfType<SyscallEvent>().Where(e => e.SyscallName == "getppid").GroupBy(e => e.ProcessId)
                .OrderByDescending(g => g.Sum(e => (long)e.Calls)).FirstOrDefault()?.Key ?? 0;
            var counted = _seen.OfType<SyscallEvent>().Where(e => e.ProcessId == _pid && e.SyscallName == "getppid").Sum(e => (long)e.Calls);
            if (counted != _expected) throw new InvalidOperationException($"the probe counted {counted:N0} getppid, expected {_expected:N0}");
        }
    }

    /// <summary>libbpf-tools syscount -p PID beside the program; its getppid count must be exact too.</summary>
    private sealed class Syscount : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly long _expected;

        public Syscount(int pid, long expected)
        {
            _expected = expected;
            _process = Process.Start(new ProcessStartInfo("stdbuf", ["-oL", "/usr/sbin/syscount", "-p", pid.ToString(CultureInfo.InvariantCulture)])
                { UseShellExecute = false, RedirectStandardOutput = true })!;
            // Its banner comes once it is attached.
            while (_process.StandardOutput.ReadLine() is { } line && !line.StartsWith("Tracing", StringComparison.Ordinal))
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
            var output = await _process.StandardOutput.ReadToEndAsync();
            await _process.WaitForExitAsync();
            var row = output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(f => f.Length == 2 && f[0] == "getppid");
            if (row is null || long.Parse(row[1], CultureInfo.InvariantCulture) != _expected)
                throw new InvalidOperationException($"syscount reported {row?[1] ?? "nothing"} getppid, expected {_expected:N0}");
            _process.Dispose();
        }
    }

    private sealed class ActionSink(Action<Measurement> emit) : IProbeSink
    {
        public void Emit(Measurement measurement) => emit(measurement);

        public void Emit(IReadOnlyList<Measurement> measurements)
        {
            foreach (var m in measurements) emit(m);
        }
    }
}
