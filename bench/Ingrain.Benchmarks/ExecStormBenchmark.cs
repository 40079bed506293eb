using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>execstorm [execs] [rounds]</c>: how much an exec observer slows a storm of short processes. A shell runs
/// <c>/bin/true</c> <c>execs</c> times (default 3,000) with nothing attached, with the agent (<c>ingrain run</c> on
/// bench/exec-storm.hocon, console backend to /dev/null) and with libbpf-tools' <c>execsnoop</c> (output to
/// /dev/null), in each of <c>rounds</c> rounds (default 5, the order rotating), and prints each storm's wall time,
/// the observer's CPU, and the slowdown of the medians against nothing attached. Needs root and the built agent
/// (<c>make bench</c> builds it).
/// </summary>
internal static partial class ExecStormBenchmark
{
    private const int SigTerm = 15;

    private enum Observer
    {
        Nothing,
        Agent,
        Execsnoop,
    }

    private sealed record Storm(Observer Observer, int Round, TimeSpan Elapsed, double ObserverCpuMs, string Note);

    public static int Run(string[] args)
    {
        var execs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var root = RepoRoot();
        var agentDll = Path.Combine(root, "src/Agent/bin/Release/net10.0/ingrain.dll");
        var config = Path.Combine(root, "bench/exec-storm.hocon");
        if (!File.Exists(agentDll)) return Fail($"{agentDll} not found: build the agent first (make build)");
        if (FindOnPath("execsnoop") is null) return Fail("execsnoop not found: apt-get install libbpf-tools");
        if (FindOnPath("bpftool") is null) return Fail("bpftool not found: make setup");

        Console.WriteLine($"exec storm: {execs:N0} × /bin/true from one shell, {rounds} round(s); observers: agent (exec probe → console → /dev/null), execsnoop (→ /dev/null)");
        var storms = new List<Storm>();
        Observer[] order = [Observer.Nothing, Observer.Agent, Observer.Execsnoop];
        for (var round = 1; round <= rounds; round++)
        {
            for (var i = 0; i < order.Length; i++)
            {
                var observer = order[(i + round - 1) % order.Length];
                var storm = Measure(observer, round, execs, agentDll, config);
                storms.Add(storm);
                Console.WriteLine($"  round {round}, {Label(observer),-16}: {storm.Elapsed.TotalMilliseconds,8:N0} ms  ({storm.Elapsed.TotalMicroseconds / execs,6:N0} µs/exec){(observer == Observer.Nothing ? "" : $"  observer CPU {storm.ObserverCpuMs,6:N0} ms")}  {storm.Note}");
            }
        }

        var baseline = Median(storms, Observer.Nothing);
        Console.WriteLine();
        Console.WriteLine($"| observer | median storm | per exec | slowdown vs nothing | observer CPU (median) |");
        Console.WriteLine($"|---|---:|---:|---:|---:|");
        foreach (var observer in order)
        {
            var median = Median(storms, observer);
            var cpu = storms.Where(s => s.Observer == observer).Select(s => s.ObserverCpuMs).Order().ElementAt(rounds / 2);
            Console.WriteLine($"| {Label(observer)} | {median.TotalMilliseconds:N0} ms | {median.TotalMicroseconds / execs:N0} µs | {(median / baseline - 1) * 100:+0.0;-0.0} % | {(observer == Observer.Nothing ? "—" : $"{cpu:N0} ms")} |");
        }
        var agent = Median(storms, Observer.Agent) / baseline;
        var snoop = Median(storms, Observer.Execsnoop) / baseline;
        Console.WriteLine($"agent slowdown {(agent - 1) * 100:+0.0;-0.0} %, execsnoop {(snoop - 1) * 100:+0.0;-0.0} %: target (agent ≤ execsnoop) {(agent <= snoop ? "met" : "not met")}");
        return 0;
    }

    private static Storm Measure(Observer observer, int round, int execs, string agentDll, string config)
    {
        switch (observer)
        {
            case Observer.Nothing:
            {
                RunStorm(execs);
                Thread.Sleep(2000);
                return new Storm(observer, round, RunStorm(execs), 0, "");
            }
            case Observer.Agent:
            {
                var stderr = new List<string>();
                using var agent = Start("/bin/sh", ["-c", "exec dotnet \"$1\" run --config \"$2\" >/dev/null", "sh", agentDll, config], stderr);
                WaitUntil(() => Lines(stderr).Any(l => l.Contains("exec probe attached", StringComparison.Ordinal)), agent, "the agent's exec probe to attach", stderr);
                var (elapsed, cpu) = ObservedStorm(agent, execs);
                Stop(agent);
                var status = Lines(stderr).LastOrDefault(l => l.Contains("status: ingrain.probes.exec:", StringComparison.Ordinal));
                var counts = status is null ? "no probe status logged" : ProbeStatus().Match(status).Value;
                return new Storm(observer, round, elapsed, cpu, counts);
            }
            default:
            {
                var before = ExecveLinks();
                using var snoop = Start("/bin/sh", ["-c", "exec execsnoop >/dev/null 2>&1"], stderr: null);
                WaitUntil(() => ExecveLinks().Except(before).Count() >= 2, snoop, "execsnoop's two tracepoints to attach", null);
                var (elapsed, cpu) = ObservedStorm(snoop, execs);
                Stop(snoop);
                return new Storm(observer, round, elapsed, cpu, "");
            }
        }
    }

    // A whole storm first, unmeasured, then a settle: the agent's tiered JIT is still busy during the first storm
    // (~90 ms of its CPU) and quiet from the second on. Then the measured storm and the observer's CPU during it.
    private static (TimeSpan Elapsed, double CpuMs) ObservedStorm(Process observer, int execs)
    {
        RunStorm(execs);
        Thread.Sleep(2000);
        var cpuBefore = CpuMs(observer.Id);
        var elapsed = RunStorm(execs);
        return (elapsed, CpuMs(observer.Id) - cpuBefore);
    }

    private static TimeSpan RunStorm(int execs)
    {
        var clock = Stopwatch.StartNew();
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh",
            ["-c", "i=0; while [ $i -lt $1 ]; do /bin/true; i=$((i+1)); done", "storm", execs.ToString(CultureInfo.InvariantCulture)])
            { UseShellExecute = false })!;
        shell.WaitForExit();
        var elapsed = clock.Elapsed;
        if (shell.ExitCode != 0) throw new InvalidOperationException($"the storm's shell exited {shell.ExitCode}");
        return elapsed;
    }

    private static Process Start(string file, string[] args, List<string>? stderr)
    {
        var psi = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = stderr is not null };
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
        return process;
    }

    private static void WaitUntil(Func<bool> ready, Process process, string what, List<string>? stderr)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (!ready())
        {
            if (process.HasExited || Environment.TickCount64 > deadline)
            {
                if (!process.HasExited) process.Kill();
                var log = stderr is null ? "" : ":\n" + string.Join('\n', Lines(stderr));
                throw new InvalidOperationException($"gave up waiting for {what}{log}");
            }
            Thread.Sleep(50);
        }
    }

    // SIGTERM, as an operator stops the agent: it drains and logs its status. Bounded: a hung observer is killed.
    private static void Stop(Process process)
    {
        _ = Kill(process.Id, SigTerm);
        if (!process.WaitForExit(30_000)) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>User + system CPU of a process so far, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat(5) (utime, stime) are 11 and 12 after the command name.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>Ids of the BPF links whose program's name mentions execve (execsnoop's two tracepoints).</summary>
    private static HashSet<long> ExecveLinks()
    {
        var progs = BpfTool("prog").EnumerateArray()
            .Where(p => p.TryGetProperty("name", out var n) && n.GetString()!.Contains("execve", StringComparison.Ordinal))
            .Select(p => p.GetProperty("id").GetInt64()).ToHashSet();
        return BpfTool("link").EnumerateArray()
            .Where(l => l.TryGetProperty("prog_id", out var p) && progs.Contains(p.GetInt64()))
            .Select(l => l.GetProperty("id").GetInt64()).ToHashSet();
    }

    private static JsonElement BpfTool(string objectKind)
    {
        using var p = Process.Start(new ProcessStartInfo("bpftool", ["-j", objectKind, "show"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static TimeSpan Median(List<Storm> storms, Observer observer)
    {
        var times = storms.Where(s => s.Observer == observer).Select(s => s.Elapsed).Order().ToList();
        return times[times.Count / 2];
    }

    private static string Label(Observer observer) => observer switch
    {
        Observer.Nothing => "nothing attached",
        Observer.Agent => "agent",
        _ => "execsnoop",
    };

    private static string[] Lines(List<string> lines)
    {
        lock (lines) return [.. lines];
    }

    internal static string RepoRoot()
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
        Console.Error.WriteLine("execstorm: " + message);
        return 1;
    }

    [GeneratedRegex(@"emitted=\d+ .*kernel-lost=\d+")]
    private static partial Regex ProbeStatus();

    internal static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
