using System.Diagnostics;
using System.Globalization;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>agentstart [runs] [agent.dll …]</c>: how long the agent takes from its process start to the exec probe
/// attached (its log line "exec probe attached"), and its resident memory (VmRSS) after 10 s idle with that probe
/// attached, on bench/exec-storm.hocon (exec probe → console backend, stdout to /dev/null). Given several agent
/// builds (e.g. this one and an older commit's), it alternates between them run by run, so both see the same machine.
/// Default: this repository's build, 5 runs. Needs root.
/// </summary>
internal static class AgentStartBenchmark
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var root = ExecStormBenchmark.RepoRoot();
        var agents = args.Length > 1 ? args[1..] : [Path.Combine(root, "src/Agent/bin/Release/net10.0/ingrain.dll")];
        var config = Path.Combine(root, "bench/exec-storm.hocon");
        foreach (var agent in agents)
        {
            if (!File.Exists(agent)) return Fail($"{agent} not found: build the agent first (make build)");
        }
        Console.WriteLine($"agent start: {runs} run(s) per build, exec probe → console → /dev/null, RSS after {Idle.TotalSeconds:N0} s idle");
        var results = agents.ToDictionary(a => a, _ => new List<(double AttachMs, long RssKb)>());
        for (var run = 1; run <= runs; run++)
        {
            foreach (var agent in agents)
            {
                var (attach, rss) = Measure(agent, config);
                results[agent].Add((attach.TotalMilliseconds, rss));
                Console.WriteLine($"  run {run}, {agent}: attached after {attach.TotalMilliseconds,6:N0} ms, idle RSS {rss / 1024.0,6:N1} MiB");
            }
        }
        Console.WriteLine();
        Console.WriteLine("| build | start → exec probe attached (median) | idle RSS (median) |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var agent in agents)
        {
            var attach = Median(results[agent].Select(r => r.AttachMs));
            var rss = Median(results[agent].Select(r => (double)r.RssKb)) / 1024.0;
            Console.WriteLine($"| {agent} | {attach:N0} ms | {rss:N1} MiB |");
        }
        return 0;
    }

    private static (TimeSpan Attach, long RssKb) Measure(string agent, string config)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", agent, "run", "--config", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var attached = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && process.StandardError.ReadLine() is { } line)
        {
            if (!line.Contains("exec probe attached", StringComparison.Ordinal)) continue;
            attached = clock.Elapsed;
            break;
        }
        if (attached == TimeSpan.Zero) throw new InvalidOperationException($"{agent} never attached its exec probe");
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        Thread.Sleep(Idle);
        var rss = ReadRssKb(process.Id);
        ExecStormBenchmark.Signal(process.Id, 2);
        if (!process.WaitForExit(TimeSpan.FromSeconds(30))) process.Kill(entireProcessTree: true);
        return (attached, rss);
    }

    private static long ReadRssKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
