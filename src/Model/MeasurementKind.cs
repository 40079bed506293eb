namespace Ingrain.Model;

/// <summary>
/// What a measurement is, as ingraind's bit set: a probe may mark one value as several kinds at once
/// (ingraind's grains emit COUNTER|HISTOGRAM|METER), and each step or backend picks the kinds it understands.
/// </summary>
[Flags]
public enum MeasurementKind : ushort
{
    None = 0,
    Counter = 1,
    Gauge = 2,
    Meter = 4,
    Histogram = 8,
    Timer = 16,
    Set = 32,
    SetUniques = 64,
    Percentile = 128,
}
