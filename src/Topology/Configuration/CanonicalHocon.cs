using System.Text;
using System.Text.Json;
using Ingrain.Hocon;
using Ingrain.Hocon.Values;

namespace Ingrain.Topology.Configuration;

/// <summary>
/// A canonical text form of a component's settings: the user's object laid over its defaults, keys sorted, as
/// compact JSON. Keys a typed <see cref="ConfigSection"/> read resolved are written as it understood them (durations
/// in ticks, sizes in bytes, absent keys as their fallback), so equal values spelled differently compare equal. Two
/// components are "the same" for reload exactly when their canonical forms are equal — never by record equality,
/// which compares list members by reference (style guide R4/R11).
/// </summary>
public static class CanonicalHocon
{
    public static string Render(ConfigSection section, IReadOnlyCollection<string> excludedKeys)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteSection(writer, section, excludedKeys);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteSection(Utf8JsonWriter w, ConfigSection section, IReadOnlyCollection<string> excluded) =>
        WriteMerged(w, section.User, section.Defaults, excluded, section.ResolvedValues);

    private static void WriteMerged(Utf8JsonWriter w, HoconObject user, HoconObject? defaults, IReadOnlyCollection<string> excluded,
        IReadOnlyDictionary<string, object>? resolved = null)
    {
        var keys = user.Keys.Concat(defaults?.Keys ?? []).Concat(resolved?.Keys ?? []).Distinct()
            .Where(k => !excluded.Contains(k)).Order(StringComparer.Ordinal);
        w.WriteStartObject();
        foreach (var key in keys)
        {
            w.WritePropertyName(key);
            if (resolved is not null && resolved.TryGetValue(key, out var known))
            {
                WriteResolved(w, known);
                continue;
            }
            var u = user.TryGetValue(key, out var uv) ? uv : null;
            var d = defaults is not null && defaults.TryGetValue(key, out var dv) ? dv : null;
            if (u is HoconObject uo && d is HoconObject dobj) WriteMerged(w, uo, dobj, []);
            else Write(w, u ?? d!);
        }
        w.WriteEndObject();
    }

    private static void WriteResolved(Utf8JsonWriter w, object known)
    {
        switch (known)
        {
            case string text:
                w.WriteStringValue(text);
                break;
            case ConfigSection nested:
                WriteSection(w, nested, []);
                break;
            case IReadOnlyList<ConfigSection> list:
                w.WriteStartArray();
                foreach (var item in list) WriteSection(w, item, []);
                w.WriteEndArray();
                break;
        }
    }

    private static void Write(Utf8JsonWriter w, HoconValue value)
    {
        switch (value)
        {
            case HoconObject o:
                WriteMerged(w, o, null, []);
                break;
            case HoconList l:
                w.WriteStartArray();
                foreach (var item in l.Items) Write(w, item);
                w.WriteEndArray();
                break;
            case HoconString s:
                w.WriteStringValue(s.Value);
                break;
            case HoconNumber n:
                // Numbers and their string spelling mean the same to every reader (HOCON converts), so compare as text.
                w.WriteStringValue(n.Text);
                break;
            case HoconBoolean b:
                w.WriteStringValue(b.Value ? "true" : "false");
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }
}
