using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>files [opens] [rounds]</c>: what watching opens costs a process that opens and closes one file <c>opens</c>
/// times (default 1,000,000), for a monitored file and an unmonitored one, with nothing attached, the agent (files
/// probe on bench/files-bench.hocon, console backend to /dev/null), libbpf-tools' <c>opensnoop</c> (output counted)
/// and bpftrace counting <c>tracepoint:syscalls:sys_exit_openat</c> in the kernel; plus a 1 GiB sequential read
/// (128 KiB reads, page cache), 8 times over per run (one pass takes ~50 ms, too short to resolve 5 % against the
/// machine's noise), of a monitored file with nothing and with the agent. Prints the medians of
/// <c>rounds</c> rounds (default 3), the slowdowns, the events each observer delivered against those produced, and
/// the agent's CPU per event. Needs root, clang and the built agent (<c>make bench</c> builds it).
/// </summary>
internal static partial class FilesBenchmark
{
    private const string Root = "/tmp/ingrain-files-bench";
    private const int SigTerm = 15, SigInt = 2;
    private const int ReadPasses = 8;

    private const string LoopSource = """
        #include <fcntl.h>
        #include <stdlib.h>
        #include <unistd.h>
        static char buf[131072];
        int main(int argc, char **argv) {
          long n = atol(argv[3]);
          if (argv[1][0] == 'o') { for (long i = 0; i < n; i++) close(open(argv[2], O_RDONLY)); return 0; }
          int fd = open(argv[2], O_RDONLY);
          for (long i = 0; i < n; i++) { lseek(fd, 0, SEEK_SET); while (read(fd, buf, sizeof buf) > 0) {} }
          return 0;
        }
        """;

    private enum Observer
    {
        Nothing,
        Agent,
        Opensnoop,
        Bpftrace,
    }

    private sealed record Sample(string Workload, Observer Observer, TimeSpan Elapsed, double ObserverCpuMs, long Delivered, string Note);

    public static int Run(string[] args)
    {
        var opens = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var root = RepoRoot();
        var agentDll = Path.Combine(root, "src/Agent/bin/Release/net10.0/ingrain.dll");
        var config = Path.Combine(root, "bench/files-bench.hocon");
        if (!File.Exists(agentDll)) return Fail($"{agentDll} not found: build the agent first (make build)");
        if (FindOnPath("opensnoop") is null) return Fail("opensnoop not found: apt-get install libbpf-tools (make setup-bench)");
        var bpftrace = FindOnPath("bpftrace");
        var loop = Compile();
        Directory.CreateDirectory($"{Root}/mon");
        Directory.CreateDirectory($"{Root}/other");
        File.WriteAllText($"{Root}/mon/f", "x");
        File.WriteAllText($"{Root}/other/f", "x");
        using (var big = File.Create($"{Root}/mon/big")) big.SetLength(1L << 30);
        _ = Exec(loop, "r", $"{Root}/mon/big", "1"); // into the page cache

        Console.WriteLine($"files: {opens:N0} × open+close of a monitored and an unmonitored file, and 8 × a 1 GiB read of a monitored file; {rounds} round(s)");
        var runs = new List<Sample>();
        Observer[] observers = bpftrace is null ? [Observer.Nothing, Observer.Agent, Observer.Opensnoop] : [Observer.Nothing, Observer.Agent, Observer.Opensnoop, Observer.Bpftrace];
        if (bpftrace is null) Console.WriteLine("  (bpftrace not found: its row is left out; apt-get install bpftrace)");
        (string Name, string Mode, string Path, long N, Observer[] Observers)[] workloads =
        [
            ("open+close, monitored", "o", $"{Root}/mon/f", opens, observers),
            ("open+close, unmonitored", "o", $"{Root}/other/f", opens, observers),
            ("8 × 1 GiB read, monitored", "r", $"{Root}/mon/big", ReadPasses, [Observer.Nothing, Observer.Agent]),
        ];
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var w in workloads)
            {
                for (var i = 0; i < w.Observers.Length; i++)
                {
                    var observer = w.Observers[(i + round - 1) % w.Observers.Length];
                    var run = Measure(observer, w.Name, () => Exec(loop, w.Mode, w.Path, w.N.ToString(CultureInfo.InvariantCulture)), agentDll, config, bpftrace);
                    runs.Add(run);
                    Console.WriteLine($"  round {round}, {w.Name,-24} {Label(observer),-10}: {run.Elapsed.TotalMilliseconds,8:N0} ms{(observer == Observer.Nothing ? "" : $"  observer CPU {run.ObserverCpuMs,6:N0} ms")}  {run.Note}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| workload | observer | median | slowdown vs nothing | delivered / produced | observer CPU | CPU per event |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var w in workloads)
        {
            var baseline = Median(runs, w.Name, Observer.Nothing).Elapsed;
            foreach (var observer in w.Observers)
            {
                var m = Median(runs, w.Name, observer);
                var produced = w.Mode == "o" && w.Path.Contains("/mon/", StringComparison.Ordinal) ? w.N : 0;
                var delivered = observer is Observer.Nothing or Observer.Bpftrace || w.Mode == "r" ? "—" : $"{m.Delivered:N0} / {produced:N0}";
                var perEvent = m.Delivered > 0 ? $"{m.ObserverCpuMs * 1e6 / m.Delivered:N0} ns" : "—";
                Console.WriteLine($"| {w.Name} | {Label(observer)} | {m.Elapsed.TotalMilliseconds:N0} ms | {(observer == Observer.Nothing ? "—" : $"{(m.Elapsed / baseline - 1) * 100:+0.0;-0.0} %")} | {delivered} | {(observer == Observer.Nothing ? "—" : $"{m.ObserverCpuMs:N0} ms")} | {perEvent} |");
            }
        }
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Path.GetDirectoryName(loop)!, recursive: true);
        return 0;
    }

    private static Sample Measure(Observer observer, string workload, Func<TimeSpan> work, string agentDll, string config, string? bpftrace)
    {
        switch (observer)
        {
            case Observer.Nothing:
                return new Sample(workload, observer, work(), 0, 0, "");
            case Observer.Agent:
            {
                var stderr = new List<string>();
                using var agent = Start("/bin/sh", ["-c", "exec dotnet \"$1\" run --config \"$2\" >/dev/null", "sh", agentDll, config], stderr);
                WaitUntil(() => Lines(stderr).Any(l => l.Contains("files probe attached", StringComparison.Ordinal)), agent, "the agent's files probe to attach", stderr);
                // Measured from when the agent has settled (startup and JIT done), as the workload would meet it.
                var cpu = CpuMsWhenIdle(agent.Id);
                var elapsed = work();
                // The agent's CPU until it has handled what it read (it goes quiet), then stop it (it drains) and count.
                var total = CpuMsWhenIdle(agent.Id) - cpu;
                Stop(agent, SigTerm);
                var status = Lines(stderr).LastOrDefault(l => l.Contains("status: ingrain.probes.files:", StringComparison.Ordinal));
                var emitted = status is null ? 0 : long.Parse(Emitted().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
                return new Sample(workload, observer, elapsed, total, emitted, status is null ? "no probe status logged" : ProbeStatus().Match(status).Value);
            }
            case Observer.Opensnoop:
            {
                var output = Path.Combine(Path.GetTempPath(), $"ingrain-opensnoop-{Guid.NewGuid():N}.txt");
                var stderr = new List<string>();
                using var snoop = Start("/bin/sh", ["-c", "exec stdbuf -oL opensnoop > \"$1\"", "sh", output], stderr);
                WaitUntil(() => File.Exists(output) && new FileInfo(output).Length > 0, snoop, "opensnoop's header", stderr);
                var cpu = CpuMs(snoop.Id);
                var elapsed = work();
                Thread.Sleep(500);
                var used = CpuMs(snoop.Id) - cpu;
                Stop(snoop, SigInt);
                var delivered = File.ReadLines(output).LongCount(l => l.Contains($"{Root}/mon/", StringComparison.Ordinal));
                var lost = Lines(stderr).Where(l => l.Contains("Lost", StringComparison.OrdinalIgnoreCase)).Sum(l => long.TryParse(LostCount().Match(l).Groups[1].Value, out var n) ? n : 0);
                File.Delete(output);
                return new Sample(workload, observer, elapsed, used, delivered, $"lost {lost:N0} (its own count)");
            }
            default:
            {
                var stdout = new List<string>();
                using var trace = Start("/bin/sh", ["-c", "exec \"$1\" -e 'BEGIN { printf(\"attached\\n\"); } tracepoint:syscalls:sys_exit_openat { @opens = count(); }' 2>&1", "sh", bpftrace!], null, stdout);
                WaitUntil(() => Lines(stdout).Any(l => l.Contains("attached", StringComparison.Ordinal)), trace, "bpftrace to attach", stdout);
                var cpu = CpuMs(trace.Id);
                var elapsed = work();
                var used = CpuMs(trace.Id) - cpu;
                Stop(trace, SigInt);
                return new Sample(workload, observer, elapsed, used, 0, "");
            }
        }
    }

    private static string Compile()
    {
        var dir = Directory.CreateTempSubdirectory("ingrain-files-bench-");
        var source = Path.Combine(dir.FullName, "loop.c");
        File.WriteAllText(source, LoopSource);
        var binary = Path.Combine(dir.FullName, "loop");
        using var clang = Process.Start(new ProcessStartInfo("clang", ["-O2", "-o", binary, source]) { UseShellExecute = false })!;
        clang.WaitForExit();
        if (clang.ExitCode != 0) throw new InvalidOperationException("clang could not build the workload (make setup installs clang)");
        return binary;
    }

    private static TimeSpan Exec(string file, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited {p.ExitCode}");
        return clock.Elapsed;
    }

    private static Process Start(string file, string[] args, List<string>? stderr, List<string>? stdout = null)
    {
        var psi = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = stderr is not null, RedirectStandardOutput = stdout is not null };
        var process = Process.Start(psi)!;
        if (stderr is not null)
        {
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (stderr) stderr.Add(e.Data);
            };
            process.BeginErrorReadLine();
        }
        if (stdout is not null)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (stdout) stdout.Add(e.Data);
            };
            process.BeginOutputReadLine();
        }
        return process;
    }

    private static void WaitUntil(Func<bool> ready, Process process, string what, List<string>? log)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (!ready())
        {
            if (process.HasExited || Environment.TickCount64 > deadline)
            {
                if (!process.HasExited) process.Kill();
                throw new InvalidOperationException($"gave up waiting for {what}{(log is null ? "" : ":\n" + string.Join('\n', Lines(log)))}");
            }
            Thread.Sleep(50);
        }
    }

    private static void Stop(Process process, int signal)
    {
        _ = Kill(process.Id, signal);
        if (!process.WaitForExit(60_000)) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>User + system CPU of a process so far, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>A process's CPU once it used at most 60 ms in half a second (the idle agent uses ~30: timers), at most 60 s.</summary>
    private static double CpuMsWhenIdle(int pid)
    {
        var deadline = Environment.TickCount64 + 60_000;
        var last = CpuMs(pid);
        while (Environment.TickCount64 < deadline)
        {
            Thread.Sleep(500);
            var now = CpuMs(pid);
            if (now - last <= 60) return now;
            last = now;
        }
        return last;
    }

    private static Sample Median(List<Sample> runs, string workload, Observer observer)
    {
        var these = runs.Where(r => r.Workload == workload && r.Observer == observer).OrderBy(r => r.Elapsed).ToList();
        return these[these.Count / 2];
    }

    private static string Label(Observer observer) => observer switch
    {
        Observer.Nothing => "nothing",
        Observer.Agent => "agent",
        Observer.Opensnoop => "opensnoop",
        _ => "bpftrace",
    };

    private static string[] Lines(List<string> lines)
    {
        lock (lines) return [.. lines];
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingrain.Actors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root (Ingrain.Actors.sln) not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/sbin")
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static int Fail(string message)
    {
        Console.Error.WriteLine("files: " + message);
        return 1;
    }

    [GeneratedRegex(@"emitted=(\d+)")]
    private static partial Regex Emitted();

    [GeneratedRegex(@"emitted=\d+ .*kernel-lost=\d+")]
    private static partial Regex ProbeStatus();

    [GeneratedRegex(@"(\d+)")]
    private static partial Regex LostCount();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
