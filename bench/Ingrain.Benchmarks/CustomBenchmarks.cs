namespace Ingrain.Benchmarks;

/// <summary>
/// One-run measurements that are not BenchmarkDotNet suites (e.g. the ring buffer reader, which needs a
/// kernel program attached). Each entry: the first argument that selects it, and its entry point.
/// </summary>
internal static class CustomBenchmarks
{
    private static readonly Dictionary<string, Func<string[], int>> Entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ringbuf"] = RingBufferBenchmark.Run,
        ["pipeline"] = PipelineBenchmark.Run,
        ["execstorm"] = ExecStormBenchmark.Run,
        ["network"] = NetworkBenchmark.Run,
        ["files"] = FilesBenchmark.Run,
        ["agentstart"] = AgentStartBenchmark.Run,
        ["syscalls"] = SyscallsBenchmark.Run,
        ["dns"] = DnsBenchmark.Run,
        ["parquet"] = ParquetBenchmark.Run,
        ["tls"] = TlsBenchmark.Run,
    };

    public static bool TryRun(string[] args)
    {
        if (!Entries.TryGetValue(args[0], out var run)) return false;
        Environment.ExitCode = run(args[1..]);
        return true;
    }
}
