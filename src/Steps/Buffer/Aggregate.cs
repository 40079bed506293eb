
namespace Ingrain.Steps.Buffer;

/// <summary>
/// What a buffer holds for one (name, tags) series during one interval: one store per kind bit the series was
/// fed with. Returns the number of values it could not keep (bounded memory).
/// </summary>
internal sealed class Aggregate(string name, Tags tags)
{
    public string Name { get; } = name;
    public Tags Tags { get; } = tags;

    public bool HasCounter;
    public double Counter;
    public MeasurementUnit CounterUnit;

    public bool HasGauge;
    public double Gauge;
    public MeasurementUnit GaugeUnit;

    public List<double>? Timers;
    public MeasurementUnit TimerUnit;

    public HashSet<string>? Set;

    public Reservoir? Histogram;
    public MeasurementUnit HistogramUnit;

    /// <summary>Feeds <paramref name="m"/> to every store its kind asks for; returns how many values were not kept.</summary>
    public int Add(Measurement m, BufferOptions options, Random random)
    {
        var lost = 0;
        var value = m.Value.Number;
        if (m.Kind.HasFlag(MeasurementKind.Counter))
        {
            if (!HasCounter) CounterUnit = m.Value.Unit;
            HasCounter = true;
            Counter += m.SampleRate > 0 ? value / m.SampleRate : value;
        }
        if (m.Kind.HasFlag(MeasurementKind.Gauge))
        {
            GaugeUnit = m.Value.Unit;
            Gauge = m.Reset ? value : Gauge + value; // a relative gauge on a new series adjusts from 0
            HasGauge = true;
        }
        if (m.Kind.HasFlag(MeasurementKind.Timer))
        {
            Timers ??= [];
            TimerUnit = m.Value.Unit;
            if (Timers.Count < options.MaxValuesPerKey) Timers.Add(value);
            else lost++;
        }
        if (m.Kind.HasFlag(MeasurementKind.Set))
        {
            Set ??= new HashSet<string>(StringComparer.Ordinal);
            var element = m.Value.IsString ? m.Value.Text ?? "" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Set.Count < options.MaxValuesPerKey || Set.Contains(element)) Set.Add(element);
            else lost++;
        }
        if (m.Kind.HasFlag(MeasurementKind.Histogram) && options.EnableHistograms)
        {
            Histogram ??= new Reservoir(options.HistogramSamples);
            HistogramUnit = m.Value.Unit;
            Histogram.Add(value, random);
        }
        return lost;
    }

    /// <summary>True when <paramref name="kind"/> feeds at least one store (else the buffer passes the measurement through).</summary>
    public static bool Aggregates(MeasurementKind kind, bool enableHistograms) =>
        (kind & (MeasurementKind.Counter | MeasurementKind.Gauge | MeasurementKind.Timer | MeasurementKind.Set)) != 0
        || (enableHistograms && kind.HasFlag(MeasurementKind.Histogram));
}
