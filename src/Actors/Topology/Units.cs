using System.Globalization;

namespace Ingrain.Actors.Topology;

/// <summary>
/// HOCON duration and size strings (<c>10s</c>, <c>500 ms</c>, <c>64MiB</c>) as the HOCON spec defines them;
/// a bare number is milliseconds (durations) or bytes (sizes).
/// </summary>
internal static class Units
{
    private static readonly (string[] Names, double Ticks)[] DurationUnits =
    [
        (["ns", "nano", "nanos", "nanosecond", "nanoseconds"], 0.01),
        (["us", "micro", "micros", "microsecond", "microseconds"], 10),
        (["ms", "milli", "millis", "millisecond", "milliseconds"], TimeSpan.TicksPerMillisecond),
        (["s", "second", "seconds"], TimeSpan.TicksPerSecond),
        (["m", "minute", "minutes"], TimeSpan.TicksPerMinute),
        (["h", "hour", "hours"], TimeSpan.TicksPerHour),
        (["d", "day", "days"], TimeSpan.TicksPerDay),
    ];

    private static readonly (string[] Names, long Bytes)[] SizeUnits =
    [
        (["", "B", "b", "byte", "bytes"], 1),
        (["K", "k", "Ki", "KiB", "kibibyte", "kibibytes"], 1L << 10),
        (["kB", "kilobyte", "kilobytes"], 1000),
        (["M", "m", "Mi", "MiB", "mebibyte", "mebibytes"], 1L << 20),
        (["MB", "megabyte", "megabytes"], 1000_000),
        (["G", "g", "Gi", "GiB", "gibibyte", "gibibytes"], 1L << 30),
        (["GB", "gigabyte", "gigabytes"], 1000_000_000),
    ];

    public static TimeSpan? ParseDuration(string text)
    {
        if (!Split(text, out var number, out var unit)) return null;
        if (unit.Length == 0) return TimeSpan.FromMilliseconds(number);
        foreach (var (names, ticks) in DurationUnits)
        {
            if (names.Contains(unit, StringComparer.Ordinal)) return TimeSpan.FromTicks((long)(number * ticks));
        }
        return null;
    }

    public static long? ParseBytes(string text)
    {
        if (!Split(text, out var number, out var unit)) return null;
        foreach (var (names, bytes) in SizeUnits)
        {
            if (names.Contains(unit, StringComparer.Ordinal)) return (long)(number * bytes);
        }
        return null;
    }

    private static bool Split(string text, out double number, out string unit)
    {
        text = text.Trim();
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or '-' or '+')) end++;
        unit = text[end..].Trim();
        return double.TryParse(text[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
