using System.Globalization;
using System.Text.Json;

namespace Ingrain.Hocon.Tests.Conformance;

/// <summary>JSON value equality as the conformance README defines it: key order ignored, numbers by value.</summary>
internal static class JsonComparer
{
    /// <summary>Null when equal, otherwise where they differ.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind && !(IsBool(expected) && IsBool(actual)))
            return $"{path}: expected {expected.ValueKind} {expected.GetRawText()}, got {actual.ValueKind} {actual.GetRawText()}";
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet();
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
                if (!expectedKeys.SetEquals(actualKeys))
                    return $"{path}: keys differ; missing [{string.Join(",", expectedKeys.Except(actualKeys))}], extra [{string.Join(",", actualKeys.Except(expectedKeys))}]";
                foreach (var key in expectedKeys)
                {
                    var difference = Difference(expected.GetProperty(key), actual.GetProperty(key), $"{path}.{key}");
                    if (difference is not null) return difference;
                }
                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                    return $"{path}: expected {expected.GetArrayLength()} elements, got {actual.GetArrayLength()}: {actual.GetRawText()}";
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    var difference = Difference(expected[i], actual[i], $"{path}[{i}]");
                    if (difference is not null) return difference;
                }
                return null;
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.Number:
                return NumbersEqual(expected.GetRawText(), actual.GetRawText()) ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.True or JsonValueKind.False:
                return expected.ValueKind == actual.ValueKind ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            default:
                return null;
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static bool NumbersEqual(string a, string b)
    {
        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
            && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
            return da == db;
        return double.Parse(a, CultureInfo.InvariantCulture) == double.Parse(b, CultureInfo.InvariantCulture);
    }
}
