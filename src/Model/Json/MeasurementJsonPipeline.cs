using System.Buffers;
using System.Text.Json;

namespace Ingrain.Model.Json;

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
/// Encodes batches as NDJSON lines (one object and a '\n' each) in either shape: Ingrain's own comes from
/// <see cref="MeasurementJson"/> (the one definition of that shape); ingraind's is written here. In the ingraind
/// shape tags become a JSON object and, when a key repeats, the first value wins (the one <see cref="Tags.Get"/> returns).
/// </summary>
public static class MeasurementJsonPipeline
{
    private static readonly JsonWriterOptions Options = MeasurementJson.WriterOptions;

    // One writer per thread, retargeted per line (as MeasurementJson does for Ingrain's shape).
    [ThreadStatic] private static Utf8JsonWriter? _cachedWriter;

    /// <summary>Appends one line per measurement of <paramref name="batch"/> to <paramref name="output"/>.</summary>
    public static void WriteLines(IReadOnlyList<Measurement> batch, JsonLineEncoding encoding, IBufferWriter<byte> output)
    {
        foreach (var m in batch) WriteLine(m, encoding, output);
    }

    /// <summary>Appends <paramref name="m"/> as one line to <paramref name="output"/>.</summary>
    public static void WriteLine(Measurement m, JsonLineEncoding encoding, IBufferWriter<byte> output)
    {
        if (encoding == JsonLineEncoding.Ingrain)
        {
            MeasurementJson.WriteLine(output, m);
            return;
        }
        var writer = _cachedWriter;
        if (writer is null) _cachedWriter = writer = new Utf8JsonWriter(output, Options);
        else writer.Reset(output);
        WriteIngraind(writer, m);
        writer.Flush();
        writer.Reset(Stream.Null); // do not keep the caller's buffer alive
        output.Write("\n"u8);
    }

    // ingraind: name carries the unit suffix (_byte, _count, _string), kind is the bit set as a number,
    // and "measurement" is an unsigned integer (0 for strings).
    private static void WriteIngraind(Utf8JsonWriter w, Measurement m)
    {
        w.WriteStartObject();
        w.WriteNumber("timestamp"u8, m.Timestamp);
        w.WriteNumber("kind"u8, (ushort)m.Kind);
        // name + suffix written as two segments of one string value: no concatenated string per line.
        w.WritePropertyName("name"u8);
        w.WriteStringValueSegment(m.Name, isFinalSegment: false);
        w.WriteStringValueSegment(m.Value.Unit switch { MeasurementUnit.Byte => "_byte", MeasurementUnit.Count => "_count", _ => "_string" }, isFinalSegment: true);
        w.WriteNumber("measurement"u8, m.Value.IsString || m.Value.Number <= 0 ? 0UL : (ulong)m.Value.Number);
        WriteTags(w, m.Tags);
        w.WriteEndObject();
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
