using Ingrain.Actors.Tests.Backends.Peers;
using Ingrain.Backends.Parquet;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Ingrain.Actors.Tests.Backends;

/// <summary>The Parquet encoder's file, read back by Parquet.Net (the raw column) and by DuckDB (the schema a query engine sees).</summary>
public sealed class ParquetEncoderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ingrain-parquet-encoder-{Guid.NewGuid():N}");

    public ParquetEncoderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Measurement[] Batch =
    [
        new(1_796_315_078_678_124_675, MeasurementKind.Counter, "connection.out", MeasurementValue.Count(1),
            Tags.Of(("process_str", "curl"), ("process_str", "second"), ("d_port", "443"), ("d_port", "99999"), ("family", "ipv4"))),
        new(1_796_315_078_678_124_676, MeasurementKind.Gauge, "weird", MeasurementValue.Bytes(double.NaN),
            Tags.Of(("d_port", "http"), ("cgroup_id", "18446744073709551615"))),
        new(1_796_315_078_678_124_677, MeasurementKind.None, "empty", MeasurementValue.Str("")),
    ];

    private async Task<string> WriteAsync(int rowGroupSize)
    {
        var path = Path.Combine(_dir, $"f{rowGroupSize}.parquet");
        await File.WriteAllBytesAsync(path, await new ParquetBatchEncoder(new ParquetSettings(rowGroupSize, ParquetCompression.Snappy)).EncodeAsync(Batch, "h"));
        return path;
    }

    [Fact]
    public async Task The_timestamp_column_holds_the_exact_nanoseconds_and_is_annotated_as_a_utc_nanosecond_timestamp()
    {
        var path = await WriteAsync(1000);
        await using (var file = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(file))
        {
            var timestamps = new DataField<long>("timestamp", false);
            _ = new ParquetSchema(timestamps); // attached to a schema, so the reader finds its column by path
            using var group = reader.OpenRowGroupReader(0);
            var values = new long[group.RowCount];
            await group.ReadRawAsync<long>(timestamps, values, null, null, CancellationToken.None);
            Assert.Equal(Batch.Select(m => m.Timestamp), values);
        }
        using var duck = new DuckDbParquet(_dir);
        var schema = duck.Query($"SELECT name, type, logical_type FROM parquet_schema('{path}') WHERE name = 'timestamp'").Single();
        Assert.Equal("INT64", schema[1]);
        Assert.Contains("TimestampType", (string)schema[2]!);
        Assert.Contains("isAdjustedToUTC=1", ((string)schema[2]!).Replace(" ", ""));
        Assert.Contains("NANOS", (string)schema[2]!);
    }

    [Fact]
    public async Task First_values_win_values_that_do_not_fit_their_column_stay_in_the_map_and_row_groups_split_the_batch()
    {
        var path = await WriteAsync(2);
        using var duck = new DuckDbParquet(_dir);
        Assert.Equal([2L, 1L], duck.Query($"SELECT row_group_num_rows FROM parquet_metadata('{path}') WHERE path_in_schema = 'name' ORDER BY row_group_id").Select(r => r[0]));
        Assert.All(duck.Query($"SELECT DISTINCT compression FROM parquet_metadata('{path}')"), r => Assert.Equal("SNAPPY", r[0]));
        // By name: the three timestamps are one microsecond apart at most, the same instant at DuckDB's precision.
        var rows = duck.Query($"SELECT process_str, d_port, cgroup_id, tags, isnan(value), value_str, kind FROM read_parquet('{path}') ORDER BY name");
        Assert.Equal("curl", rows[0][0]);
        Assert.Equal(443, rows[0][1]);
        Assert.Equal(new Dictionary<string, string?> { ["family"] = "ipv4" }, ToDictionary(rows[0][3]));
        Assert.Empty(ToDictionary(rows[1][3]));
        Assert.Equal("", rows[1][5]);
        Assert.Equal("none", rows[1][6]);
        Assert.Null(rows[2][1]);
        Assert.Null(rows[2][2]);
        Assert.Equal(new Dictionary<string, string?> { ["d_port"] = "http", ["cgroup_id"] = "18446744073709551615" }, ToDictionary(rows[2][3]));
        Assert.Equal(true, rows[2][4]);
    }

    private static Dictionary<string, string?> ToDictionary(object? map)
    {
        var result = new Dictionary<string, string?>();
        foreach (System.Collections.DictionaryEntry e in (System.Collections.IDictionary)map!) result[(string)e.Key] = (string?)e.Value;
        return result;
    }
}
