using System.Text.Json;
using System.Text.RegularExpressions;
using Ingrain.Actors.Tests.Backends.Peers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Ingrain.Backends.Partitions;

namespace Ingrain.Actors.Tests.Backends;

public sealed class S3BackendTests : IDisposable
{
    private readonly string _spoolDir = Path.Combine(Path.GetTempPath(), $"ingrain-spool-{Guid.NewGuid():N}");

    public S3BackendTests() => S3rverServer.UseCredentialsFromEnvironment();

    public void Dispose()
    {
        if (Directory.Exists(_spoolDir)) Directory.Delete(_spoolDir, recursive: true);
    }

    /// <summary>The writer's options; <paramref name="batch"/> sizes a batch (NDJSON bytes, or 1/100 as many Parquet rows).</summary>
    private S3BackendOptions Options(S3rverServer server, S3Encoding encoding = S3Encoding.Ndjson, int batch = 8 * 1024 * 1024) => ComponentSettings.S3 with
    {
        Encoding = encoding,
        MaxBatchSize = batch,
        Parquet = ComponentSettings.S3.Parquet with { RowGroupSize = Math.Max(1, batch / 100) },
        Bucket = server.Bucket,
        Prefix = "agents/test",
        Endpoint = server.Endpoint,
        ForcePathStyle = true,
        Host = "host-a.example.com",
        SpoolDir = _spoolDir,
        UploadTimeout = TimeSpan.FromSeconds(5),
        MaxRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    private static Measurement[] Numbered(int from, int count) =>
        Enumerable.Range(from, count)
            .Select(i => new Measurement(1_700_000_000_000_000_000 + i, i % 2 == 0 ? MeasurementKind.Counter : MeasurementKind.Gauge,
                "net.bytes", MeasurementValue.Bytes(i), Tags.Of(("d_port", (i % 7).ToString()), ("process_str", "curl"))))
            .ToArray();

    private static int[] Values(IEnumerable<JsonElement> measurements) =>
        measurements.Select(e => (int)e.GetProperty("value").GetDouble()).Order().ToArray();

    [Theory]
    [InlineData(S3Encoding.Ndjson)]
    [InlineData(S3Encoding.Parquet)]
    public async Task Objects_land_under_partitioned_keys_and_decode_to_exactly_what_was_sent(S3Encoding encoding)
    {
        using var server = new S3rverServer("metrics");
        await server.StartAsync();
        await using var writer = new S3BackendWriter(Options(server, encoding, 8 * 1024));

        var sent = Numbered(0, 300);
        await writer.WriteAsync(sent, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        var keys = await server.KeysAsync();
        Assert.True(keys.Count > 2, $"expected several size-bounded objects, got {keys.Count}");
        var pattern = new Regex(@"^agents/test/dt=(\d{4}-\d{2}-\d{2})/hour=(\d{2})/host=host-a\.example\.com/(\d{8})T(\d{2})\d{7}Z-\d{6}" + (encoding == S3Encoding.Parquet ? @"\.parquet$" : @"\.ndjson\.gz$"));
        foreach (var key in keys)
        {
            var m = pattern.Match(key);
            Assert.True(m.Success, key);
            Assert.Equal(m.Groups[1].Value.Replace("-", ""), m.Groups[3].Value);
            Assert.Equal(m.Groups[2].Value, m.Groups[4].Value);
        }

        var received = await server.AllMeasurementsAsync();
        Assert.Equal(sent.Length, received.Count);
        var byValue = received.ToDictionary(e => (int)e.GetProperty("value").GetDouble());
        foreach (var m in sent)
        {
            var e = byValue[(int)m.Value.Number];
            // DuckDB reads a UTC timestamp with microsecond precision (the file holds the exact nanoseconds).
            Assert.Equal(encoding == S3Encoding.Parquet ? m.Timestamp / 1000 * 1000 : m.Timestamp, e.GetProperty("timestamp").GetInt64());
            Assert.Equal(m.Name, e.GetProperty("name").GetString());
            Assert.Equal(m.Kind == MeasurementKind.Counter ? "counter" : "gauge", e.GetProperty("kind").GetString());
            Assert.Equal("byte", e.GetProperty("unit").GetString());
            Assert.Equal(m.Tags.Get("d_port"), e.GetProperty("tags").GetProperty("d_port").GetString());
            Assert.Equal("curl", e.GetProperty("tags").GetProperty("process_str").GetString());
        }
        Assert.Equal(300, writer.Counters.Sent);
        Assert.Equal(0, writer.Counters.Spooled);
    }

    [Theory]
    [InlineData(S3Encoding.Ndjson)]
    [InlineData(S3Encoding.Parquet)]
    public async Task An_outage_of_several_seconds_under_load_loses_nothing(S3Encoding encoding)
    {
        using var server = new S3rverServer("outage");
        await server.StartAsync();
        await using var writer = new S3BackendWriter(Options(server, encoding, 4 * 1024));

        var produced = 0;
        async Task ProduceAsync(TimeSpan duration)
        {
            var until = DateTime.UtcNow + duration;
            while (DateTime.UtcNow < until)
            {
                await writer.WriteAsync(Numbered(produced, 25), CancellationToken.None);
                produced += 25;
                await writer.FlushAsync(CancellationToken.None);
                await Task.Delay(20);
            }
        }

        await ProduceAsync(TimeSpan.FromSeconds(1));
        server.Stop();
        await ProduceAsync(TimeSpan.FromSeconds(4));
        Assert.True(writer.Spool.Count > 0, "batches produced during the outage must be spooled");
        await server.StartAsync();
        await ProduceAsync(TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (writer.Spool.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            await writer.FlushAsync(CancellationToken.None);
        }

        Assert.Equal(0, writer.Spool.Count);
        Assert.Equal(Enumerable.Range(0, produced), Values(await server.AllMeasurementsAsync()));
        Assert.Equal(produced, writer.Counters.Sent);
        Assert.Equal(0, writer.Counters.Dropped);
        Assert.True(writer.Counters.Spooled > 0);
        Assert.True(writer.Counters.Failed > 0);
    }

    [Theory]
    [InlineData(S3Encoding.Ndjson)]
    [InlineData(S3Encoding.Parquet)]
    public async Task A_spooled_batch_is_delivered_by_the_next_agent_after_a_kill(S3Encoding encoding)
    {
        using var server = new S3rverServer("restart"); // not started yet: the store is down
        var killed = new S3BackendWriter(Options(server, encoding));
        await killed.WriteAsync(Numbered(0, 40), CancellationToken.None);
        await killed.FlushAsync(CancellationToken.None);
        Assert.Equal(40, killed.Counters.Spooled);
        Assert.Single(Directory.GetFiles(Options(server, encoding).SpoolDirectory, "*.batch"));
        // The agent dies here: no flush, no dispose; the kernel releases a dead process's lock.
        killed.Spool.Dispose();

        await server.StartAsync();
        await using var restarted = new S3BackendWriter(Options(server, encoding));
        Assert.Equal(1, restarted.Spool.Count);
        await restarted.FlushAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 40), Values(await server.AllMeasurementsAsync()));
        Assert.Equal(40, restarted.Counters.Sent);
        Assert.Empty(Directory.GetFiles(Options(server, encoding).SpoolDirectory, "*.batch"));
    }

    [Theory]
    [InlineData(S3Encoding.Ndjson)]
    [InlineData(S3Encoding.Parquet)]
    public async Task Shutdown_past_its_deadline_spools_what_it_could_not_upload(S3Encoding encoding)
    {
        using var server = new S3rverServer("shutdown");
        var stopping = new S3BackendWriter(Options(server, encoding));
        await stopping.WriteAsync(Numbered(0, 10), CancellationToken.None);
        using (var deadline = new CancellationTokenSource())
        {
            await deadline.CancelAsync(); // the shutdown timeout is already over
            await stopping.FlushAsync(deadline.Token);
        }
        await stopping.WriteAsync(Numbered(10, 5), CancellationToken.None);
        await stopping.DisposeAsync();
        Assert.Equal(15, stopping.Counters.Spooled);

        await server.StartAsync();
        await using var next = new S3BackendWriter(Options(server, encoding));
        await next.FlushAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 15), Values(await server.AllMeasurementsAsync()));
    }

    [Fact]
    public void A_full_spool_drops_the_oldest_batches_and_counts_them()
    {
        var counters = new BackendCounters();
        var spool = new S3Spool(_spoolDir, 1024 * 1024, counters, NullLogger.Instance);
        var body = new byte[400 * 1024];
        var t = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++) Assert.True(spool.TryAdd(PartitionedKey.For("p", "h", t.AddSeconds(i), i), 10 + i, body));

        Assert.Equal(2, spool.Count);
        Assert.Equal(10, counters.Dropped); // the oldest batch (10 measurements) made room
        Assert.Equal(33, counters.Spooled);
        Assert.True(spool.TryPeekOldest(out var oldest));
        Assert.Equal(11, oldest.Count);
        Assert.False(spool.TryAdd(PartitionedKey.For("p", "h", t, 9), 5, new byte[2 * 1024 * 1024]));
        Assert.Equal(15, counters.Dropped);
        spool.Dispose();

        using var reopened = new S3Spool(_spoolDir, 1024 * 1024, new BackendCounters(), NullLogger.Instance);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryPeekOldest(out var again));
        Assert.Equal(oldest.Key, again.Key);
    }

    [Fact]
    public void A_second_spool_on_the_same_directory_fails_until_the_first_is_disposed()
    {
        var first = new S3Spool(_spoolDir, 1024 * 1024, new BackendCounters(), NullLogger.Instance);
        Assert.True(first.TryAdd(PartitionedKey.For("p", "h", DateTimeOffset.UnixEpoch, 0), 3, new byte[10]));

        var e = Assert.Throws<S3SpoolInUseException>(() => new S3Spool(_spoolDir, 1024 * 1024, new BackendCounters(), NullLogger.Instance));
        Assert.Contains("own spool-dir", e.Message);

        first.Dispose();
        using var second = new S3Spool(_spoolDir, 1024 * 1024, new BackendCounters(), NullLogger.Instance);
        Assert.Equal(1, second.Count); // the lock file is not taken for a batch
    }

    [Fact]
    public async Task Two_writers_on_one_destination_cannot_share_a_spool_but_other_destinations_get_their_own()
    {
        using var server = new S3rverServer("metrics");
        await server.StartAsync();
        var options = Options(server);
        await using var first = new S3BackendWriter(options);

        Assert.Throws<S3SpoolInUseException>(() => new S3BackendWriter(options));
        await using var otherPrefix = new S3BackendWriter(options with { Prefix = "agents/other" });
        await using var explicitDir = new S3BackendWriter(options with { SpoolDirectory = Path.Combine(_spoolDir, "mine") });

        Assert.StartsWith(Path.Combine(_spoolDir, server.Bucket + "-"), options.SpoolDirectory);
        Assert.NotEqual(options.SpoolDirectory, (options with { Prefix = "agents/other" }).SpoolDirectory);
        Assert.NotEqual(options.SpoolDirectory, (options with { Endpoint = new Uri("http://127.0.0.2:1/") }).SpoolDirectory);
        Assert.Equal(options.SpoolDirectory, Options(server).SpoolDirectory); // stable across runs: spooled batches are found again
    }

    [Fact]
    public void A_directory_can_be_synced_and_a_missing_one_is_a_clear_error()
    {
        Directory.CreateDirectory(_spoolDir);
        DirectorySync.Flush(_spoolDir);
        var e = Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(_spoolDir, "missing")));
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Options_validation_reports_every_problem()
    {
        var errors = (ComponentSettings.S3 with { Bucket = "", Prefix = "/x/", SpoolMaxSize = 10, Endpoint = new Uri("ftp://x") }).Validate();
        Assert.Equal(4, errors.Count);
        Assert.Empty((ComponentSettings.S3 with { Bucket = "b" }).Validate());
    }
}
