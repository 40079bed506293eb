using System.Buffers;
using System.Text.Json;
using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Backends.Console;

/// <summary>
/// Which JSON shape a line-oriented backend writes: Ingrain's own, or ingraind's for users migrating from it.
/// </summary>
public enum JsonLineEncoding
{
    /// <summary><c>{"timestamp":…,"name":"process.exec","kind":"counter","value":1,"unit":"count","tags":{…}}</c></summary>
    Ingrain,

    /// <summary>ingraind's console/HTTP JSON: <c>{"timestamp":…,"kind":13,"name":"connection.out_count","measurement":1,"tags":{…}}</c></summary>
    Ingraind,
}

/// <summary>
/// Encodes measurements as NDJSON lines (one object and a '\n' each). Tags become a JSON object; when a key
/// repeats, the first value wins (the one <see cref="Tags.Get"/> returns).
/// (Temporary twin of the kernel branch's MeasurementJson.cs; the lead unifies them.)
/// </summary>
public static class MeasurementJsonPipeline
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true, Indented = false };
    private static readonly string[] KindNames = ["counter", "gauge", "meter", "histogram", "timer", "set", "set_uniques", "percentile"];

    /// <summary>Appends one line per measurement of <paramref name="batch"/> to <paramref name="output"/>.</summary>
    public static void WriteLines(IReadOnlyList<Measurement> batch, JsonLineEncoding encoding, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, Options);
        foreach (var m in batch)
        {
            if (encoding == JsonLineEncoding.Ingraind) WriteIngraind(writer, m);
            else WriteIngrain(writer, m);
            writer.Flush();
            output.Write("\n"u8);
            writer.Reset(output);
        }
    }

    /// <summary>The kind as text: lower-case flag names joined by '|' when a measurement has several (e.g. <c>counter|histogram</c>).</summary>
    public static string KindName(MeasurementKind kind)
    {
        if (kind == MeasurementKind.None) return "none";
        var bits = (ushort)kind;
        if ((bits & (bits - 1)) == 0) return KindNames[System.Numerics.BitOperations.TrailingZeroCount(bits)];
        var names = new List<string>();
        for (var i = 0; i < KindNames.Length; i++)
        {
            if ((bits & (1 << i)) != 0) names.Add(KindNames[i]);
        }
        return string.Join('|', names);
    }

    private static void WriteIngrain(Utf8JsonWriter w, Measurement m)
    {
        w.WriteStartObject();
        w.WriteNumber("timestamp"u8, m.Timestamp);
        w.WriteString("name"u8, m.Name);
        w.WriteString("kind"u8, KindName(m.Kind));
        if (m.Value.IsString) w.WriteString("value"u8, m.Value.Text);
        else WriteNumber(w, "value"u8, m.Value.Number);
        w.WriteString("unit"u8, m.Value.UnitName);
        WriteTags(w, m.Tags);
        w.WriteEndObject();
    }

    // ingraind: name carries the unit suffix (_byte, _count, _string), kind is the bit set as a number,
    // and "measurement" is an unsigned integer (0 for strings).
    private static void WriteIngraind(Utf8JsonWriter w, Measurement m)
    {
        w.WriteStartObject();
        w.WriteNumber("timestamp"u8, m.Timestamp);
        w.WriteNumber("kind"u8, (ushort)m.Kind);
        var suffix = m.Value.Unit switch { MeasurementUnit.Byte => "_byte", MeasurementUnit.Count => "_count", _ => "_string" };
        w.WriteString("name"u8, m.Name + suffix);
        w.WriteNumber("measurement"u8, m.Value.IsString || m.Value.Number <= 0 ? 0UL : (ulong)m.Value.Number);
        WriteTags(w, m.Tags);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 9.2e18) w.WriteNumber(name, (long)value);
        else if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private static void WriteTags(Utf8JsonWriter w, Tags tags)
    {
        w.WriteStartObject("tags"u8);
        var span = tags.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            if (IsRepeat(span, i)) continue;
            w.WriteString(span[i].Key, span[i].Value);
        }
        w.WriteEndObject();
    }

    private static bool IsRepeat(ReadOnlySpan<KeyValuePair<string, string>> tags, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (tags[j].Key == tags[index].Key) return true;
        }
        return false;
    }
}
