using System.Globalization;

namespace Ingrain.Steps.Buffer;

/// <summary>
/// <c>buffer</c>: aggregates by (name, tags) over an interval, then emits per series: the counter sum (each value
/// divided by its sample rate), the gauge (set, or adjusted by relative values), every timer value, the set's
/// cardinality (elements in tag <c>set_elements</c>), and for histograms one <c>&lt;name&gt;_&lt;p&gt;</c>
/// percentile per configured p. A measurement with several kind bits feeds several stores, as in ingraind.
/// Emitted measurements carry the flush time. Measurements with no aggregatable kind (meter only) pass through.
/// <para>Flushes when the host calls <see cref="Flush"/> (its timer, and shutdown) and also when a measurement
/// arrives after the interval has passed, so a timer starved by a busy mailbox cannot grow memory (ingraind #62).
/// Memory is bounded by <see cref="BufferOptions.MaxKeys"/> and <see cref="BufferOptions.MaxValuesPerKey"/>;
/// measurements beyond them are dropped and counted in <see cref="Overflowed"/>.</para>
/// </summary>
public sealed class BufferStep : IPipelineStep
{
    private readonly BufferOptions _options;
    private readonly TimeProvider _time;
    private readonly ComponentCounters _counters;
    private readonly Dictionary<SeriesKey, Aggregate> _series = new(SeriesKeyComparer.Instance);
    private readonly Random _random = new(0x1a9a);
    private readonly string[] _percentileSuffixes;
    private long _lastFlush;
    private long _overflowed;

    public BufferStep(BufferOptions options, StepContext context)
    {
        _options = options;
        _time = context.Time;
        _counters = context.Counters;
        _lastFlush = _time.GetTimestamp();
        _percentileSuffixes = options.Percentiles.Select(p => "_" + p.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    public TimeSpan? FlushInterval => _options.Interval;

    /// <summary>Measurements (or single values) dropped because a bound was reached.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    public void Process(Measurement measurement, IStepOutput output)
    {
        if (_time.GetElapsedTime(_lastFlush) >= _options.Interval) Flush(output);
        if (!Aggregate.Aggregates(measurement.Kind, _options.EnableHistograms))
        {
            output.Emit(measurement);
            return;
        }
        var key = new SeriesKey(measurement.Name, measurement.Tags);
        if (!_series.TryGetValue(key, out var aggregate))
        {
            if (_series.Count >= _options.MaxKeys)
            {
                Overflow(1);
                return;
            }
            aggregate = new Aggregate(measurement.Name, measurement.Tags);
            _series.Add(key, aggregate);
        }
        var lost = aggregate.Add(measurement, _options, _random);
        if (lost > 0) Overflow(lost);
    }

    public void Flush(IStepOutput output)
    {
        _lastFlush = _time.GetTimestamp();
        if (_series.Count == 0) return;
        var now = Measurement.NowNanos(_time);
        foreach (var a in _series.Values) Emit(a, now, output);
        _series.Clear();
    }

    private void Emit(Aggregate a, long now, IStepOutput output)
    {
        if (a.HasCounter)
            output.Emit(new Measurement(now, MeasurementKind.Counter, a.Name, new MeasurementValue(a.CounterUnit, a.Counter, null), a.Tags));
        if (a.HasGauge)
            output.Emit(new Measurement(now, MeasurementKind.Gauge, a.Name, new MeasurementValue(a.GaugeUnit, a.Gauge, null), a.Tags));
        if (a.Timers is not null)
        {
            foreach (var t in a.Timers)
                output.Emit(new Measurement(now, MeasurementKind.Timer, a.Name, new MeasurementValue(a.TimerUnit, t, null), a.Tags));
        }
        if (a.Set is not null)
        {
            var elements = a.Set.Order(StringComparer.Ordinal);
            output.Emit(new Measurement(now, MeasurementKind.Set, a.Name, MeasurementValue.Count(a.Set.Count),
                TagEdits.Set(a.Tags, "set_elements", string.Join(',', elements))));
        }
        if (a.Histogram is not null)
        {
            var values = a.Histogram.Percentiles(_options.Percentiles);
            for (var i = 0; i < values.Length; i++)
            {
                output.Emit(new Measurement(now, MeasurementKind.Percentile, a.Name + _percentileSuffixes[i],
                    new MeasurementValue(a.HistogramUnit, values[i], null), a.Tags));
            }
        }
    }

    private void Overflow(int n)
    {
        Interlocked.Add(ref _overflowed, n);
        _counters.AddDropped(n);
    }

    private readonly record struct SeriesKey(string Name, Tags Tags);

    /// <summary>Ordinal comparison of name and tag pairs, without the boxing of KeyValuePair's default equality.</summary>
    private sealed class SeriesKeyComparer : IEqualityComparer<SeriesKey>
    {
        public static readonly SeriesKeyComparer Instance = new();

        public bool Equals(SeriesKey x, SeriesKey y)
        {
            if (!string.Equals(x.Name, y.Name)) return false;
            if (ReferenceEquals(x.Tags, y.Tags)) return true;
            var a = x.Tags.AsSpan();
            var b = y.Tags.AsSpan();
            if (a.Length != b.Length) return false;
            for (var i = 0; i < a.Length; i++)
            {
                if (!string.Equals(a[i].Key, b[i].Key) || !string.Equals(a[i].Value, b[i].Value)) return false;
            }
            return true;
        }

        public int GetHashCode(SeriesKey key)
        {
            var hash = key.Name.GetHashCode();
            foreach (var tag in key.Tags.AsSpan()) hash = HashCode.Combine(hash, tag.Key.Length, tag.Value.GetHashCode());
            return hash;
        }
    }
}
