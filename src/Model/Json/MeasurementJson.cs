using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ingrain.Model.Json;

/// <summary>
/// The one JSON shape of a measurement, written by every backend that speaks JSON (console, file, HTTP, S3) and the agent:
/// <c>{"timestamp":&lt;ns since epoch&gt;,"name":"process.exec","kind":"counter","value":1,"unit":"count","tags":{…}}</c>.
/// <list type="bullet">
/// <item><c>kind</c>: the lower-case kind names joined with '|' (<c>counter|histogram</c>; <c>set_uniques</c>; no flag: <c>none</c>).</item>
/// <item><c>value</c>: a JSON number, <c>null</c> when not finite (NaN, ±∞); a string value is its text with <c>"unit":"str"</c>.</item>
/// <item><c>tags</c>: in tag order; a repeated key keeps its first value (as <see cref="Tags.Get"/>).</item>
/// <item>Escaping: <see cref="WriterOptions"/> (non-ASCII and HTML characters kept as they are, control characters and quotes escaped).</item>
/// </list>
/// Property names are pre-encoded, and <see cref="WriteLine"/> reuses one writer per thread: no allocation besides the output.
/// </summary>
public static class MeasurementJson
{
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Unit = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText TagsName = JsonEncodedText.Encode("tags");

    /// <summary>Writer settings: no indentation; non-ASCII and HTML characters kept as they are (this is not HTML).</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static Utf8JsonWriter? _cachedWriter;

    /// <summary>Writes <paramref name="m"/> as one JSON object followed by '\n' into <paramref name="output"/>.</summary>
    public static void WriteLine(IBufferWriter<byte> output, Measurement m)
    {
        WriteObject(output, m);
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>Writes <paramref name="m"/> as one JSON object (no separator) into <paramref name="output"/>.</summary>
    public static void WriteObject(IBufferWriter<byte> output, Measurement m)
    {
        var writer = _cachedWriter;
        if (writer is null) _cachedWriter = writer = new Utf8JsonWriter(output, WriterOptions);
        else writer.Reset(output);
        Write(writer, m);
        writer.Flush();
        writer.Reset(Stream.Null); // do not keep the caller's buffer alive
    }

    /// <summary>Writes <paramref name="m"/> as one JSON object (no newline).</summary>
    public static void Write(Utf8JsonWriter writer, Measurement m)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Timestamp, m.Timestamp);
        writer.WriteString(Name, m.Name);
        writer.WriteString(Kind, KindName(m.Kind));
        if (m.Value.IsString) writer.WriteString(Value, m.Value.Text);
        else if (double.IsFinite(m.Value.Number)) writer.WriteNumber(Value, m.Value.Number);
        else writer.WriteNull(Value); // JSON has no NaN or infinity
        writer.WriteString(Unit, m.Value.UnitName);
        writer.WriteStartObject(TagsName);
        var tags = m.Tags.AsSpan();
        for (var i = 0; i < tags.Length; i++)
        {
            if (!KeySeenBefore(tags, i)) writer.WriteString(tags[i].Key, tags[i].Value);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // Tags are few, so a backwards scan beats allocating a set per measurement.
    private static bool KeySeenBefore(ReadOnlySpan<KeyValuePair<string, string>> tags, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (tags[j].Key == tags[index].Key) return true;
        }
        return false;
    }

    private static readonly string[] SingleKindNames =
        ["counter", "gauge", "meter", "histogram", "timer", "set", "set_uniques", "percentile"];

    /// <summary>Lower-case kind name; several kinds are joined with '|' (e.g. <c>counter|histogram</c>).</summary>
    public static string KindName(MeasurementKind kind)
    {
        var bits = (int)kind;
        if (bits != 0 && (bits & (bits - 1)) == 0) return SingleKindNames[System.Numerics.BitOperations.TrailingZeroCount(bits)];
        if (bits == 0) return "none";
        var names = new List<string>();
        for (var i = 0; i < SingleKindNames.Length; i++)
        {
            if ((bits & (1 << i)) != 0) names.Add(SingleKindNames[i]);
        }
        return string.Join('|', names);
    }
}
