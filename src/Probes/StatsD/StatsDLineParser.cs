using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Ingrain.Probes.StatsD;

/// <summary>What became of one StatsD line.</summary>
public enum StatsDLineStatus : byte
{
    /// <summary>A metric line, turned into a measurement.</summary>
    Parsed,

    /// <summary>An empty line, or a DogStatsD event (<c>_e{</c>) or service check (<c>_sc|</c>) this probe does not take.</summary>
    Ignored,

    /// <summary>Not a valid metric line.</summary>
    Malformed,
}

/// <summary>How many lines of a datagram were parsed, ignored and malformed.</summary>
public readonly record struct StatsDDatagramResult(int Parsed, int Ignored, int Malformed);

/// <summary>
/// Parses StatsD and DogStatsD metric lines, <c>name:value|type[|@rate][|#k:v,k2:v2][|c:container][|T&lt;unix-seconds&gt;]</c>,
/// straight from the datagram's bytes: the only allocations are the measurement, its name and its tags.
/// Types: <c>c</c> counter, <c>g</c> gauge (a leading <c>+</c>/<c>-</c> makes it relative: <see cref="Measurement.Reset"/>
/// false), <c>ms</c> timer, <c>h</c> histogram, <c>d</c> distribution (a histogram here), <c>s</c> set (string value).
/// <c>|c:id</c> becomes the tag <c>container_id</c>; <c>|T</c> replaces the receive time. A line is malformed when
/// its name or value is missing, its type, rate (outside (0, 1]) or a segment is unknown, a number is not finite,
/// or any part is not UTF-8.
/// </summary>
public static class StatsDLineParser
{
    private const NumberStyles Number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Parses every line of <paramref name="datagram"/>; a malformed line is skipped alone.</summary>
    public static StatsDDatagramResult ParseDatagram(ReadOnlySpan<byte> datagram, long timestampNanos, ICollection<Measurement> output)
    {
        int parsed = 0, ignored = 0, malformed = 0;
        while (!datagram.IsEmpty)
        {
            var newline = datagram.IndexOf((byte)'\n');
            var line = newline < 0 ? datagram : datagram[..newline];
            datagram = newline < 0 ? default : datagram[(newline + 1)..];
            switch (TryParse(line, timestampNanos, out var m))
            {
                case StatsDLineStatus.Parsed:
                    output.Add(m!);
                    parsed++;
                    break;
                case StatsDLineStatus.Ignored:
                    ignored++;
                    break;
                default:
                    malformed++;
                    break;
            }
        }
        return new StatsDDatagramResult(parsed, ignored, malformed);
    }

    /// <summary>Parses one line (without its newline; a trailing <c>\r</c> is allowed).</summary>
    public static StatsDLineStatus TryParse(ReadOnlySpan<byte> line, long timestampNanos, out Measurement? measurement)
    {
        measurement = null;
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        if (line.IsEmpty) return StatsDLineStatus.Ignored;
        if (line.StartsWith("_e{"u8) || line.StartsWith("_sc|"u8)) return StatsDLineStatus.Ignored;

        var colon = line.IndexOf((byte)':');
        if (colon <= 0) return StatsDLineStatus.Malformed;
        var name = line[..colon];
        if (name.IndexOf((byte)'|') >= 0 || !Utf8.IsValid(name)) return StatsDLineStatus.Malformed;

        var rest = line[(colon + 1)..];
        var bar = rest.IndexOf((byte)'|');
        if (bar <= 0) return StatsDLineStatus.Malformed;
        var valueText = rest[..bar];
        rest = rest[(bar + 1)..];
        bar = rest.IndexOf((byte)'|');
        var typeText = bar < 0 ? rest : rest[..bar];
        rest = bar < 0 ? default : rest[(bar + 1)..];

        MeasurementKind kind;
        if (typeText.SequenceEqual("c"u8)) kind = MeasurementKind.Counter;
        else if (typeText.SequenceEqual("g"u8)) kind = MeasurementKind.Gauge;
        else if (typeText.SequenceEqual("ms"u8)) kind = MeasurementKind.Timer;
        else if (typeText.SequenceEqual("h"u8) || typeText.SequenceEqual("d"u8)) kind = MeasurementKind.Histogram;
        else if (typeText.SequenceEqual("s"u8)) kind = MeasurementKind.Set;
        else return StatsDLineStatus.Malformed;

        MeasurementValue value;
        var reset = true;
        if (kind == MeasurementKind.Set)
        {
            if (!Utf8.IsValid(valueText)) return StatsDLineStatus.Malformed;
            value = MeasurementValue.Str(Encoding.UTF8.GetString(valueText));
        }
        else
        {
            if (!TryParseNumber(valueText, out var number)) return StatsDLineStatus.Malformed;
            value = MeasurementValue.Count(number);
            reset = !(kind == MeasurementKind.Gauge && valueText[0] is (byte)'+' or (byte)'-');
        }

        var sampleRate = 1.0;
        var timestamp = timestampNanos;
        KeyValuePair<string, string>[]? tags = null;
        string? containerId = null;
        while (!rest.IsEmpty)
        {
            bar = rest.IndexOf((byte)'|');
            var segment = bar < 0 ? rest : rest[..bar];
            rest = bar < 0 ? default : rest[(bar + 1)..];
            if (segment.Length < 2) return StatsDLineStatus.Malformed;
            switch (segment[0])
            {
                case (byte)'@':
                    if (!TryParseNumber(segment[1..], out sampleRate) || sampleRate is <= 0 or > 1) return StatsDLineStatus.Malformed;
                    break;
                case (byte)'#':
                    if (tags is not null || !TryParseTags(segment[1..], out tags)) return StatsDLineStatus.Malformed;
                    break;
                case (byte)'c' when segment[1] == (byte)':':
                    if (segment.Length == 2 || !Utf8.IsValid(segment[2..])) return StatsDLineStatus.Malformed;
                    containerId = Encoding.UTF8.GetString(segment[2..]);
                    break;
                case (byte)'T':
                    if (!long.TryParse(segment[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                        || seconds > long.MaxValue / 1_000_000_000) return StatsDLineStatus.Malformed;
                    timestamp = seconds * 1_000_000_000;
                    break;
                default:
                    return StatsDLineStatus.Malformed;
            }
        }

        tags ??= [];
        if (containerId is not null) tags = [.. tags, new("container_id", containerId)];
        measurement = new Measurement(timestamp, kind, Encoding.UTF8.GetString(name), value, Tags.FromArray(tags), sampleRate, reset);
        return StatsDLineStatus.Parsed;
    }

    private static bool TryParseNumber(ReadOnlySpan<byte> text, out double number) =>
        double.TryParse(text, Number, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool TryParseTags(ReadOnlySpan<byte> text, out KeyValuePair<string, string>[]? tags)
    {
        tags = null;
        if (text.IsEmpty || !Utf8.IsValid(text)) return false;
        var result = new KeyValuePair<string, string>[text.Count((byte)',') + 1];
        var i = 0;
        foreach (var range in text.Split((byte)','))
        {
            var tag = text[range];
            var colon = tag.IndexOf((byte)':');
            var key = colon < 0 ? tag : tag[..colon];
            if (key.IsEmpty) return false;
            result[i++] = new(Encoding.UTF8.GetString(key), colon < 0 ? "" : Encoding.UTF8.GetString(tag[(colon + 1)..]));
        }
        tags = result;
        return true;
    }
}
