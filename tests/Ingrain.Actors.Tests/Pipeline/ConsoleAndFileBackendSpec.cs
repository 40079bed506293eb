using Xunit;
using System.Text;
using System.Text.Json;

namespace Ingrain.Actors.Tests.Pipeline;

public sealed class ConsoleAndFileBackendSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ingrain-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Measurement Exec = new(1700000000123456789, MeasurementKind.Counter, "process.exec",
        MeasurementValue.Count(1), Tags.Of(("process_id", "42"), ("path_str", "/bin/\"ls\""), ("process_id", "dup")));

    [Fact]
    public async Task Console_writes_one_ingrain_json_line_per_measurement()
    {
        var stdout = new MemoryStream();
        await using var writer = new ConsoleBackendWriter(JsonLineEncoding.Ingrain, stdout);
        await writer.WriteAsync([Exec, Exec with { Kind = MeasurementKind.Counter | MeasurementKind.Histogram, Value = MeasurementValue.Str("x") }], default);
        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"timestamp":1700000000123456789,"name":"process.exec","kind":"counter","value":1,"unit":"count","tags":{"process_id":"42","path_str":"/bin/\"ls\""}}""", lines[0]); // a repeated key keeps its first value
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("counter|histogram", second.RootElement.GetProperty("kind").GetString());
        Assert.Equal("x", second.RootElement.GetProperty("value").GetString());
        Assert.Equal("", lines[2]);
        Assert.Equal(2, writer.Counters.Sent);
    }

    [Fact]
    public async Task Console_can_emit_ingraind_json()
    {
        var stdout = new MemoryStream();
        await using var writer = new ConsoleBackendWriter(JsonLineEncoding.Ingraind, stdout);
        await writer.WriteAsync([Exec with { Kind = MeasurementKind.Counter | MeasurementKind.Histogram | MeasurementKind.Meter, Value = MeasurementValue.Bytes(512) }], default);
        Assert.Equal("""{"timestamp":1700000000123456789,"kind":13,"name":"process.exec_byte","measurement":512,"tags":{"process_id":"42","path_str":"/bin/\"ls\""}}""" + "\n",
            Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task File_rotates_by_size_and_keeps_the_configured_number_of_files()
    {
        var path = Path.Combine(_dir, "out", "events.ndjson");
        var lineLength = Encoding.UTF8.GetByteCount(LineOf(Exec));
        await using (var writer = new FileBackendWriter(new FileBackendOptions(path, MaxBytes: lineLength * 3, MaxFiles: 2, JsonLineEncoding.Ingrain)))
        {
            for (var i = 0; i < 10; i++) await writer.WriteAsync([Exec with { Timestamp = 1700000000123456789 + i }], default);
            Assert.Equal(10, writer.Counters.Sent);
        }
        Assert.Equal(["events.ndjson", "events.ndjson.1", "events.ndjson.2"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
        // Newest lines in the live file, older ones shifted; lines 0-3 fell off the end of retention.
        Assert.Equal([9], Timestamps(path));
        Assert.Equal([6, 7, 8], Timestamps(path + ".1"));
        Assert.Equal([3, 4, 5], Timestamps(path + ".2"));
    }

    [Fact]
    public async Task File_appends_to_an_existing_file_and_rotates_inside_one_batch()
    {
        var path = Path.Combine(_dir, "events.ndjson");
        var lineLength = Encoding.UTF8.GetByteCount(LineOf(Exec));
        await using (var writer = new FileBackendWriter(new FileBackendOptions(path, lineLength * 2, 5, JsonLineEncoding.Ingrain)))
            await writer.WriteAsync([Exec], default);
        await using (var writer = new FileBackendWriter(new FileBackendOptions(path, lineLength * 2, 5, JsonLineEncoding.Ingrain)))
            await writer.WriteAsync(Enumerable.Range(1, 3).Select(i => Exec with { Timestamp = 1700000000123456789 + i }).ToArray(), default);
        Assert.Equal([0, 1], Timestamps(path + ".1"));
        Assert.Equal([2, 3], Timestamps(path));
    }

    [Fact]
    public async Task File_writes_ingraind_lines_one_per_measurement_with_unit_suffixes()
    {
        var path = Path.Combine(_dir, "ingraind.ndjson");
        await using (var writer = new FileBackendWriter(new FileBackendOptions(path, 1 << 20, 1, JsonLineEncoding.Ingraind)))
        {
            await writer.WriteAsync([Exec with { Tags = Tags.Empty }, Exec with { Value = MeasurementValue.Str("x"), Tags = Tags.Empty }], default);
            await writer.WriteAsync([Exec with { Value = MeasurementValue.Bytes(7), Tags = Tags.Of(("a", "b")) }], default);
        }
        Assert.Equal([
            """{"timestamp":1700000000123456789,"kind":1,"name":"process.exec_count","measurement":1,"tags":{}}""",
            """{"timestamp":1700000000123456789,"kind":1,"name":"process.exec_string","measurement":0,"tags":{}}""",
            """{"timestamp":1700000000123456789,"kind":1,"name":"process.exec_byte","measurement":7,"tags":{"a":"b"}}""",
        ], File.ReadAllLines(path));
    }

    private static string LineOf(Measurement m)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        MeasurementJsonPipeline.WriteLines([m], JsonLineEncoding.Ingrain, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static long[] Timestamps(string path) => File.ReadAllLines(path)
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("timestamp").GetInt64() - 1700000000123456789).ToArray();
}
