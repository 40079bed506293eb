
namespace Ingrain.Probes.StatsD;

/// <summary>What the StatsD listener received and did with it. Thread-safe.</summary>
public sealed class StatsDListenerCounters : CounterSet
{
    private readonly Counter _datagrams, _measurements, _ignored, _malformed, _receiveErrors, _sinkFailures;

    public StatsDListenerCounters()
    {
        _datagrams = Define("datagrams");
        _measurements = Define("measurements");
        _ignored = Define("ignored");
        _malformed = Define("malformed");
        _receiveErrors = Define("receive-errors");
        _sinkFailures = Define("sink-failures");
    }

    public long Datagrams => _datagrams.Value;
    public long Measurements => _measurements.Value;

    /// <summary>Empty lines, events and service checks.</summary>
    public long Ignored => _ignored.Value;

    /// <summary>Lines that were not valid metrics (each skipped alone).</summary>
    public long Malformed => _malformed.Value;

    /// <summary>Socket errors while receiving (the listener kept going).</summary>
    public long ReceiveErrors => _receiveErrors.Value;

    /// <summary>Datagrams whose measurements the sink threw on (the listener kept going).</summary>
    public long SinkFailures => _sinkFailures.Value;

    internal void Add(StatsDDatagramResult r)
    {
        _datagrams.Increment();
        if (r.Parsed > 0) _measurements.Add(r.Parsed);
        if (r.Ignored > 0) _ignored.Add(r.Ignored);
        if (r.Malformed > 0) _malformed.Add(r.Malformed);
    }

    internal void AddReceiveError() => _receiveErrors.Increment();
    internal void AddSinkFailure() => _sinkFailures.Increment();
}
