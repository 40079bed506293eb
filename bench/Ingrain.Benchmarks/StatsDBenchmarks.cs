using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Ingrain.Probes.StatsD;

namespace Ingrain.Benchmarks;

/// <summary>
/// The StatsD probe's parser and the backends' encoders, per 1,000 measurements, with allocations
/// (`make bench ARGS="--filter *StatsD*"`).
/// </summary>
[MemoryDiagnoser]
public class StatsDBenchmarks
{
    private byte[][] _datagrams = [];
    private Measurement[] _measurements = [];
    private readonly List<Measurement> _parsed = new(16);
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private readonly StatsDLineFormatter _formatter = new("ingrain");

    [GlobalSetup]
    public void Setup()
    {
        // 100 datagrams of 10 lines each: counters with tags, relative gauges, timers with rates, sets.
        _datagrams = Enumerable.Range(0, 100).Select(d => Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 10).Select(i => (i % 4) switch
        {
            0 => $"file.read:{i}|c|#process:cat,uid:{d}",
            1 => $"queue.depth:+{i}|g",
            2 => $"exec.duration:{i * 1.5}|ms|@0.5",
            _ => $"users:user{d}|s",
        })))).ToArray();
        _measurements = Enumerable.Range(0, 1000)
            .Select(i => new Measurement(1_700_000_000_000_000_000 + i, i % 3 == 0 ? MeasurementKind.Gauge : MeasurementKind.Counter,
                "net.bytes", MeasurementValue.Bytes(i), Tags.Of(("process_str", "curl"), ("d_port", "443"))))
            .ToArray();
    }

    [Benchmark]
    public int ParseDatagrams()
    {
        var n = 0;
        foreach (var datagram in _datagrams)
        {
            _parsed.Clear();
            n += StatsDLineParser.ParseDatagram(datagram, 1, _parsed).Parsed;
        }
        return n;
    }

    [Benchmark]
    public int FormatStatsDLines()
    {
        _output.ResetWrittenCount();
        foreach (var m in _measurements) _formatter.TryWrite(_output, m);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodeNdjson()
    {
        _output.ResetWrittenCount();
        foreach (var m in _measurements) MeasurementJson.WriteLine(_output, m);
        return _output.WrittenCount;
    }
}
