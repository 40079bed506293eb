using System.Buffers;
using System.Text.Json;
using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Backends.Encoders;

/// <summary>
/// Encodes measurements as the agent's JSON object:
/// <c>{"timestamp":&lt;ns&gt;,"name":"…","kind":"counter","value":1,"unit":"count","tags":{…}}</c>.
/// <list type="bullet">
/// <item><c>kind</c> is the lower-case name of the lowest set flag (a <c>Counter|Histogram</c> value is
/// <c>"counter"</c>; <c>SetUniques</c> is <c>"set_uniques"</c>; no flag is <c>"none"</c>).</item>
/// <item><c>value</c> is a JSON number for counts and bytes (null when not finite), a JSON string for string values.</item>
/// <item><c>tags</c> keeps tag order; a repeated key keeps its first value (as <see cref="Tags.Get"/>).</item>
/// </list>
/// One instance reuses one <see cref="Utf8JsonWriter"/>: not thread-safe, one per writer.
/// </summary>
public sealed class NdjsonEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private readonly Utf8JsonWriter _json = new(Stream.Null, WriterOptions);

    /// <summary>Appends one JSON object (no separator) to <paramref name="output"/>.</summary>
    public void WriteObject(IBufferWriter<byte> output, Measurement m)
    {
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteNumber("timestamp"u8, m.Timestamp);
        _json.WriteString("name"u8, m.Name);
        _json.WriteString("kind"u8, KindName(m.Kind));
        if (m.Value.IsString) _json.WriteString("value"u8, m.Value.Text);
        else if (double.IsFinite(m.Value.Number)) _json.WriteNumber("value"u8, m.Value.Number);
        else _json.WriteNull("value"u8);
        _json.WriteString("unit"u8, m.Value.UnitName);
        _json.WritePropertyName("tags"u8);
        _json.WriteStartObject();
        var tags = m.Tags.AsSpan();
        for (var i = 0; i < tags.Length; i++)
        {
            if (!SeenBefore(tags, i)) _json.WriteString(tags[i].Key, tags[i].Value);
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary>Appends one JSON object followed by <c>\n</c>.</summary>
    public void WriteLine(IBufferWriter<byte> output, Measurement m)
    {
        WriteObject(output, m);
        output.Write("\n"u8);
    }

    /// <summary>The lower-case name of the lowest set flag of <paramref name="kind"/>.</summary>
    public static string KindName(MeasurementKind kind)
    {
        var lowest = (MeasurementKind)((int)kind & -(int)kind);
        return lowest switch
        {
            MeasurementKind.Counter => "counter",
            MeasurementKind.Gauge => "gauge",
            MeasurementKind.Meter => "meter",
            MeasurementKind.Histogram => "histogram",
            MeasurementKind.Timer => "timer",
            MeasurementKind.Set => "set",
            MeasurementKind.SetUniques => "set_uniques",
            MeasurementKind.Percentile => "percentile",
            _ => "none",
        };
    }

    private static bool SeenBefore(ReadOnlySpan<KeyValuePair<string, string>> tags, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (tags[j].Key == tags[index].Key) return true;
        }
        return false;
    }
}
