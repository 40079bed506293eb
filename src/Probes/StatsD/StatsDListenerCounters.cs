namespace Ingrain.Probes.StatsD;

/// <summary>What the StatsD listener received and did with it. Thread-safe.</summary>
public sealed class StatsDListenerCounters
{
    private long _datagrams, _measurements, _ignored, _malformed, _receiveErrors, _sinkFailures;

    public long Datagrams => Interlocked.Read(ref _datagrams);
    public long Measurements => Interlocked.Read(ref _measurements);

    /// <summary>Empty lines, events and service checks.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Lines that were not valid metrics (each skipped alone).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Socket errors while receiving (the listener kept going).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>Datagrams whose measurements the sink threw on (the listener kept going).</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    internal void Add(StatsDDatagramResult r)
    {
        Interlocked.Increment(ref _datagrams);
        if (r.Parsed > 0) Interlocked.Add(ref _measurements, r.Parsed);
        if (r.Ignored > 0) Interlocked.Add(ref _ignored, r.Ignored);
        if (r.Malformed > 0) Interlocked.Add(ref _malformed, r.Malformed);
    }

    internal void AddReceiveError() => Interlocked.Increment(ref _receiveErrors);
    internal void AddSinkFailure() => Interlocked.Increment(ref _sinkFailures);

    public override string ToString() =>
        $"datagrams={Datagrams} measurements={Measurements} ignored={Ignored} malformed={Malformed} receive-errors={ReceiveErrors} sink-failures={SinkFailures}";
}
