
namespace Ingrain.Backends.StatsD;

/// <summary>The StatsD wire types the backend writes.</summary>
public enum StatsDMetricType : byte
{
    Counter,
    Gauge,
    Timer,
    Histogram,
    Distribution,
    Set,
}

public static class StatsDMetricTypes
{
    /// <summary>
    /// The StatsD type for a measurement kind, chosen by its lowest set flag (the same rule the JSON
    /// encoder uses for <c>kind</c>): counter and meter → <c>c</c>; gauge, set-uniques (a cardinality)
    /// and percentile (a computed value) → <c>g</c>; timer → <c>ms</c>; histogram → <c>h</c> or <c>d</c>;
    /// set → <c>s</c>. A kind without flags is a counter.
    /// </summary>
    public static StatsDMetricType For(MeasurementKind kind, StatsDHistogramType histogramType)
    {
        var lowest = (MeasurementKind)((int)kind & -(int)kind);
        return lowest switch
        {
            MeasurementKind.Gauge or MeasurementKind.SetUniques or MeasurementKind.Percentile => StatsDMetricType.Gauge,
            MeasurementKind.Timer => StatsDMetricType.Timer,
            MeasurementKind.Histogram => histogramType == StatsDHistogramType.Distribution
                ? StatsDMetricType.Distribution
                : StatsDMetricType.Histogram,
            MeasurementKind.Set => StatsDMetricType.Set,
            _ => StatsDMetricType.Counter,
        };
    }

    /// <summary>The type's suffix on the wire, without the bar: <c>c</c>, <c>g</c>, <c>ms</c>, <c>h</c>, <c>d</c>, <c>s</c>.</summary>
    public static ReadOnlySpan<byte> Suffix(StatsDMetricType type) => type switch
    {
        StatsDMetricType.Counter => "c"u8,
        StatsDMetricType.Gauge => "g"u8,
        StatsDMetricType.Timer => "ms"u8,
        StatsDMetricType.Histogram => "h"u8,
        StatsDMetricType.Distribution => "d"u8,
        _ => "s"u8,
    };
}
