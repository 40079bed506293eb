using Ingrain.Actors.Tests.Backends.Peers;
using Ingrain.Backends.Files;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Actors.Tests.Backends;

/// <summary>
/// Parquet written by the S3 backend to a real s3rver, and by the file backend to a directory, read back by a real
/// query engine (DuckDB, <c>hive_partitioning = true</c>) as one partitioned table: counts, a group by, partition
/// filters and the column types are exactly what was sent.
/// </summary>
public sealed class ParquetQueryEngineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ingrain-parquet-test-{Guid.NewGuid():N}");

    public ParquetQueryEngineTests() => S3rverServer.UseCredentialsFromEnvironment();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A clock the test sets: batches close at chosen hours and days (timers stay real).</summary>
    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly string[] Processes = ["curl", "sshd", "cat", "python3"];

    private static Measurement Event(int i) =>
        i % 10 == 9
            ? new Measurement(1_800_000_000_000_000_000 + i * 1_000_000L, MeasurementKind.Set, "dns.query", MeasurementValue.Str($"host{i}.example"),
                Tags.Of(("process_str", Processes[i % 4]), ("process_id", "abc"), ("qtype", "A")))
            : new Measurement(1_800_000_000_000_000_000 + i * 1_000_000L, MeasurementKind.Counter | MeasurementKind.Histogram, "connection.out",
                MeasurementValue.Bytes(i), Tags.Of(("process_id", (1000 + i).ToString()), ("process_str", Processes[i % 4]),
                    ("d_ip", "127.0.0.1"), ("d_port", (i % 100).ToString()), ("family", "ipv4")));

    private S3BackendOptions Options(S3rverServer server, string host, string spool) => ComponentSettings.S3 with
    {
        Bucket = server.Bucket,
        Prefix = "fleet",
        Endpoint = server.Endpoint,
        ForcePathStyle = true,
        Host = host,
        SpoolDir = _dir,
        SpoolDirectory = Path.Combine(_dir, spool),
        Encoding = S3Encoding.Parquet,
        Parquet = ComponentSettings.S3.Parquet with { RowGroupSize = 400 },
    };

    [Fact]
    public async Task DuckDB_reads_the_objects_of_two_hosts_as_one_partitioned_table_with_exactly_what_was_sent()
    {
        using var server = new S3rverServer("fleet");
        await server.StartAsync();
        var clockA = new SetClock(new DateTimeOffset(2026, 11, 21, 22, 30, 0, TimeSpan.Zero));
        var clockB = new SetClock(new DateTimeOffset(2026, 11, 22, 3, 20, 0, TimeSpan.Zero));
        var sent = new List<(Measurement M, string Host, string Dt, int Hour)>();
        await using (var a = new S3BackendWriter(Options(server, "host-a.example.com", "a"), NullLogger.Instance, clockA))
        await using (var b = new S3BackendWriter(Options(server, "host-b.example.com", "b"), NullLogger.Instance, clockB))
        {
            var first = Enumerable.Range(0, 1000).Select(Event).ToArray();
            await a.WriteAsync(first, CancellationToken.None);
            await a.FlushAsync(CancellationToken.None);
            sent.AddRange(first.Select(m => (m, "host-a.example.com", "2026-11-21", 22)));
            clockA.Now = new DateTimeOffset(2026, 11, 22, 3, 10, 0, TimeSpan.Zero);
            var second = Enumerable.Range(1000, 500).Select(Event).ToArray();
            await a.WriteAsync(second, CancellationToken.None);
            await a.FlushAsync(CancellationToken.None);
            sent.AddRange(second.Select(m => (m, "host-a.example.com", "2026-11-22", 3)));
            var third = Enumerable.Range(1500, 700).Select(Event).ToArray();
            await b.WriteAsync(third, CancellationToken.None);
            await b.FlushAsync(CancellationToken.None);
            sent.AddRange(third.Select(m => (m, "host-b.example.com", "2026-11-22", 3)));
            Assert.Equal(1500, a.Counters.Sent);
            Assert.Equal(700, b.Counters.Sent);
        }

        var keys = await server.KeysAsync();
        Assert.All(keys, k => Assert.Matches(@"^fleet/dt=\d{4}-\d{2}-\d{2}/hour=\d{2}/host=host-[ab]\.example\.com/\d{8}T\d{9}Z-\d{6}\.parquet$", k));
        Assert.True(keys.Count >= 6, $"row groups of 400 rows close objects early: {keys.Count} objects");
        var root = await server.DownloadParquetAsync();
        try
        {
            using var duck = new DuckDbParquet(root);
            AssertTable(duck, sent);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_file_backend_rolls_parquet_files_that_DuckDB_reads_only_once_complete()
    {
        var clock = new SetClock(new DateTimeOffset(2026, 11, 21, 22, 30, 0, TimeSpan.Zero));
        var settings = ComponentSettings.S3.Parquet with { RowGroupSize = 1000 };
        var options = new ParquetFileOptions(settings, TimeSpan.FromMinutes(5), "host-a.example.com");
        var sent = new List<(Measurement M, string Host, string Dt, int Hour)>();
        await using (var writer = new ParquetFileWriter(_dir, options, NullLogger.Instance, clock))
        {
            var early = Enumerable.Range(0, 300).Select(Event).ToArray();
            await writer.WriteAsync(early, CancellationToken.None);
            await writer.FlushAsync(CancellationToken.None);
            Assert.Empty(Directory.GetFiles(_dir, "*.parquet", SearchOption.AllDirectories)); // the roll interval is not over
            Assert.Equal(300, writer.Pending);
            clock.Now = clock.Now.AddMinutes(5);
            await writer.FlushAsync(CancellationToken.None);
            Assert.Single(Directory.GetFiles(_dir, "*.parquet", SearchOption.AllDirectories));
            sent.AddRange(early.Select(m => (m, "host-a.example.com", "2026-11-21", 22)));

            clock.Now = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
            var full = Enumerable.Range(300, 1200).Select(Event).ToArray(); // one file at 1000 rows, the rest at dispose
            await writer.WriteAsync(full, CancellationToken.None);
            Assert.Equal(2, Directory.GetFiles(_dir, "*.parquet", SearchOption.AllDirectories).Length);
            sent.AddRange(full.Select(m => (m, "host-a.example.com", "2026-11-22", 3)));
        }
        Assert.Equal(3, Directory.GetFiles(_dir, "*.parquet", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        using var duck = new DuckDbParquet(_dir);
        AssertTable(duck, sent);
    }

    private static void AssertTable(DuckDbParquet duck, List<(Measurement M, string Host, string Dt, int Hour)> sent)
    {
        var types = duck.Types();
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["timestamp"]);
        Assert.Equal("DOUBLE", types["value"]);
        Assert.Equal("VARCHAR", types["value_str"]);
        Assert.Equal("BIGINT", types["process_id"]);
        Assert.Equal("INTEGER", types["d_port"]);
        Assert.Equal("MAP(VARCHAR, VARCHAR)", types["tags"]);
        Assert.Equal("DATE", types["dt"]);

        Assert.Equal((long)sent.Count, duck.Query("SELECT count(*) FROM {table}").Single()[0]);
        var byProcess = duck.Query("SELECT process_str, count(*) FROM {table} GROUP BY process_str ORDER BY process_str")
            .Select(r => ((string)r[0]!, (long)r[1]!)).ToArray();
        Assert.Equal(sent.GroupBy(s => s.M.Tags.Get("process_str")!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count())), byProcess);
        foreach (var (dt, host) in sent.Select(s => (s.Dt, s.Host)).Distinct())
        {
            var rows = duck.Query($"SELECT count(*), sum(value), min(epoch_us(timestamp)), max(epoch_us(timestamp)) FROM {{table}} WHERE dt = DATE '{dt}' AND host = '{host}'").Single();
            var expected = sent.Where(s => s.Dt == dt && s.Host == host).Select(s => s.M).ToArray();
            Assert.Equal((long)expected.Length, rows[0]);
            Assert.Equal(expected.Where(m => !m.Value.IsString).Sum(m => m.Value.Number), (double)rows[1]!);
            Assert.Equal(expected.Min(m => m.Timestamp) / 1000, rows[2]);
            Assert.Equal(expected.Max(m => m.Timestamp) / 1000, rows[3]);
        }
        var hours = duck.Query("SELECT hour, count(*) FROM {table} GROUP BY hour ORDER BY hour").Select(r => (Convert.ToInt32(r[0]), (long)r[1]!));
        Assert.Equal(sent.GroupBy(s => s.Hour).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())), hours);

        // Typed columns, string values, the kind, and tags without a column (or whose value does not fit it) in the map.
        var strings = sent.Where(s => s.M.Value.IsString).ToArray();
        var stringRows = duck.Query("SELECT value, value_str, unit, kind, process_id, tags['process_id'], tags['qtype'] FROM {table} WHERE value_str IS NOT NULL");
        Assert.Equal(strings.Length, stringRows.Count);
        Assert.All(stringRows, r => Assert.Equal([null, r[1], "str", "set", null, "abc", "A"], r));
        Assert.Equal(strings.Select(s => s.M.Value.Text).Order(StringComparer.Ordinal), stringRows.Select(r => (string)r[1]!).Order(StringComparer.Ordinal));
        var numbers = duck.Query("SELECT process_id, d_port, d_ip, kind, unit, tags['family'], cardinality(tags) FROM {table} WHERE value_str IS NULL ORDER BY process_id");
        var expectedNumbers = sent.Where(s => !s.M.Value.IsString).Select(s => s.M).OrderBy(m => long.Parse(m.Tags.Get("process_id")!)).ToArray();
        Assert.Equal(expectedNumbers.Length, numbers.Count);
        for (var i = 0; i < numbers.Count; i++)
        {
            var m = expectedNumbers[i];
            Assert.Equal<object?>([long.Parse(m.Tags.Get("process_id")!), int.Parse(m.Tags.Get("d_port")!), "127.0.0.1", "counter|histogram", "byte", "ipv4", 1UL], numbers[i]);
        }
    }
}
