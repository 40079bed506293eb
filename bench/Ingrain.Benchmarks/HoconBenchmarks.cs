using BenchmarkDotNet.Attributes;
using Ingrain.Hocon;
using Ingrain.Hocon.Values;

namespace Ingrain.Benchmarks;

/// <summary>
/// Parse + resolve of the Akka.NET actor reference.conf (963 lines, UTF-8 BOM) from the shared HOCON
/// conformance folder, plus the parse step alone and typed reads from the resolved config.
/// Run: <c>make bench ARGS="--filter *Hocon*"</c>.
/// </summary>
[MemoryDiagnoser]
public class HoconBenchmarks
{
    private static readonly HoconParseOptions Options = new() { UseEnvironment = false };
    private string _text = "";
    private Config _config = Config.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _text = File.ReadAllText(ReferenceConfPath());
        _config = HoconParser.Parse(_text, "reference.conf", Options);
    }

    [Benchmark(Description = "parse + resolve akka reference.conf")]
    public Config ParseAndResolve() => HoconParser.Parse(_text, "reference.conf", Options);

    [Benchmark(Description = "parse only (unresolved tree)")]
    public HoconValue ParseOnly() => HoconParser.ParseUnresolved(_text, "reference.conf", Options);

    [Benchmark(Description = "10 typed reads from the resolved config")]
    public long TypedReads()
    {
        long sum = 0;
        for (var i = 0; i < 10; i++)
        {
            sum += _config.GetString("akka.actor.provider").Length;
            sum += _config.GetDuration("akka.actor.creation-timeout").Ticks;
        }
        return sum;
    }

    /// <summary>Walks up from the binary to the repository root; the data lives in ../shared/hocon-conformance.</summary>
    private static string ReferenceConfPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ingrain.Actors.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("repository root (Ingrain.Actors.sln) not found above " + AppContext.BaseDirectory);
        return Path.Combine(directory.FullName, "..", "shared", "hocon-conformance", "akkadotnet-hocon", "src", "Hocon.Benchmarks", "reference.conf");
    }
}
