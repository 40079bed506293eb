using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Backends.Console;

/// <summary>
/// The JSON shape of one measurement, as the console and file backends write it (one object per line):
/// <c>{"timestamp":&lt;ns since epoch&gt;,"name":"process.exec","kind":"counter","value":1,"unit":"count","tags":{…}}</c>.
/// A string-valued measurement has its text as <c>value</c> and <c>"unit":"str"</c>. Property names are
/// pre-encoded, and <see cref="WriteLine"/> reuses one writer per thread: no allocation besides the output.
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
        var writer = _cachedWriter;
        if (writer is null) _cachedWriter = writer = new Utf8JsonWriter(output, WriterOptions);
        else writer.Reset(output);
        Write(writer, m);
        writer.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
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
        else writer.WriteNumber(Value, m.Value.Number);
        writer.WriteString(Unit, m.Value.UnitName);
        writer.WriteStartObject(TagsName);
        foreach (var tag in m.Tags.AsSpan()) writer.WriteString(tag.Key, tag.Value);
        writer.WriteEndObject();
        writer.WriteEndObject();
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
