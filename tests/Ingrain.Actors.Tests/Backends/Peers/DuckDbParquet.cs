using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Ingrain.Actors.Tests.Backends.Peers;

/// <summary>
/// A real query engine over Parquet files: DuckDB (in process) reading a directory tree of Hive-partitioned files
/// (<c>dt=…/hour=…/host=…/*.parquet</c>) with <c>hive_partitioning = true</c>, as Athena, Trino or Spark would.
/// </summary>
internal sealed class DuckDbParquet(string root) : IDisposable
{
    private readonly DuckDBConnection _connection = Open();

    public string Root { get; } = root;

    /// <summary>The table expression over every file under <see cref="Root"/>.</summary>
    public string Table => $"read_parquet('{Root}/**/*.parquet', hive_partitioning = true)";

    private static DuckDBConnection Open()
    {
        var c = new DuckDBConnection("Data Source=:memory:");
        c.Open();
        return c;
    }

    /// <summary>Rows of <paramref name="sql"/>, <c>{table}</c> replaced by <see cref="Table"/>.</summary>
    public List<object?[]> Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql.Replace("{table}", Table, StringComparison.Ordinal);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Column name → DuckDB type of the table (<c>DESCRIBE</c>).</summary>
    public Dictionary<string, string> Types() =>
        Query("DESCRIBE SELECT * FROM {table}").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

    /// <summary>
    /// Every row back in the NDJSON shape (<c>timestamp</c> in ns — DuckDB reads a UTC timestamp with microsecond
    /// precision —, name, kind, value, unit, tags with the common-tag columns folded back in), so the same assertions
    /// check both encodings.
    /// </summary>
    public List<JsonElement> AsMeasurements()
    {
        if (!Directory.EnumerateFiles(Root, "*.parquet", SearchOption.AllDirectories).Any()) return [];
        var columns = Types().Keys.ToList();
        var tagColumns = columns.Except(["timestamp", "name", "kind", "value", "value_str", "unit", "host", "tags", "dt", "hour"]).ToList();
        var select = string.Join(", ", new[] { "epoch_us(timestamp) * 1000", "name", "kind", "value", "value_str", "unit", "tags" }.Concat(tagColumns));
        var result = new List<JsonElement>();
        foreach (var row in Query($"SELECT {select} FROM {{table}}"))
        {
            var tags = new JsonObject();
            for (var i = 0; i < tagColumns.Count; i++)
            {
                if (row[7 + i] is { } v) tags[tagColumns[i]] = Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (row[6] is System.Collections.IDictionary map)
            {
                foreach (System.Collections.DictionaryEntry e in map) tags[(string)e.Key] = (string?)e.Value;
            }
            var o = new JsonObject
            {
                ["timestamp"] = (long)row[0]!,
                ["name"] = (string)row[1]!,
                ["kind"] = (string)row[2]!,
                ["value"] = row[3] is double d ? JsonValue.Create(d) : JsonValue.Create((string?)row[4]),
                ["unit"] = (string)row[5]!,
                ["tags"] = tags,
            };
            result.Add(JsonDocument.Parse(o.ToJsonString()).RootElement.Clone());
        }
        return result;
    }

    public void Dispose() => _connection.Dispose();
}
