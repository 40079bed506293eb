using System.Globalization;
using System.Text.Json;

namespace Ingrain.Probes.Command;

/// <summary>The measurements of one run's output, how many rows were skipped, or why the output was unusable.</summary>
public sealed record CommandRows(IReadOnlyList<Measurement> Measurements, int SkippedRows, string? Error);

/// <summary>
/// Turns a JSON array of row objects into measurements: the value column (a number, a numeric string or a boolean)
/// is the value, every other column a tag in column order — strings as they are, numbers and booleans as their JSON
/// text, objects and arrays as compact JSON, nulls left out. A row that is not an object, or lacks a usable value,
/// is skipped and counted.
/// </summary>
public static class CommandRowsParser
{
    public static CommandRows Parse(ReadOnlySpan<byte> json, CommandProbeOptions options, long timestampNanos)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) return new CommandRows([], 0, "output continues after the JSON value");
        }
        catch (JsonException e)
        {
            return new CommandRows([], 0, "output is not JSON: " + e.Message);
        }

        using (document)
        {
            var rows = document.RootElement;
            if (rows.ValueKind == JsonValueKind.Object && options.RowsField is { } field)
            {
                if (!rows.TryGetProperty(field, out rows))
                    return new CommandRows([], 0, $"the output object has no '{field}' property");
            }
            if (rows.ValueKind != JsonValueKind.Array)
                return new CommandRows([], 0, $"output is a JSON {rows.ValueKind}, not an array of rows"
                                               + (options.RowsField is null ? " (set rows-field to read an array inside an object)" : ""));

            var name = options.MeasurementName;
            var measurements = new List<Measurement>(rows.GetArrayLength());
            var skipped = 0;
            foreach (var row in rows.EnumerateArray())
            {
                if (TryConvert(row, options, name, timestampNanos) is { } m) measurements.Add(m);
                else skipped++;
            }
            return new CommandRows(measurements, skipped, null);
        }
    }

    private static Measurement? TryConvert(JsonElement row, CommandProbeOptions options, string name, long timestamp)
    {
        if (row.ValueKind != JsonValueKind.Object) return null;
        var value = options.ValueColumn is null ? 1.0 : double.NaN;
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var column in row.EnumerateObject())
        {
            if (column.Name == options.ValueColumn)
            {
                if (!TryNumber(column.Value, out value)) return null;
                continue;
            }
            var text = column.Value.ValueKind switch
            {
                JsonValueKind.String => column.Value.GetString(),
                JsonValueKind.Null => null,
                _ => column.Value.GetRawText(),
            };
            if (text is not null) tags.Add(new(column.Name, text));
        }
        if (double.IsNaN(value)) return null; // the value column was missing
        return new Measurement(timestamp, options.Kind, name, new MeasurementValue(options.Unit, value, null), Tags.FromArray(tags.ToArray()));
    }

    private static bool TryNumber(JsonElement cell, out double value)
    {
        value = double.NaN;
        switch (cell.ValueKind)
        {
            case JsonValueKind.Number:
                return cell.TryGetDouble(out value) && double.IsFinite(value);
            case JsonValueKind.String:
                return double.TryParse(cell.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
            case JsonValueKind.True:
                value = 1;
                return true;
            case JsonValueKind.False:
                value = 0;
                return true;
            default:
                return false;
        }
    }
}
