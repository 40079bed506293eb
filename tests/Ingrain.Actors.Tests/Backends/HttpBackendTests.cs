using System.Text.Json;
using Ingrain.Actors.Tests.Backends.Peers;
using Xunit;

namespace Ingrain.Actors.Tests.Backends;

public sealed class HttpBackendTests
{
    private static Measurement[] Numbered(int from, int count) =>
        Enumerable.Range(from, count)
            .Select(i => new Measurement(1_700_000_000_000_000_000 + i, MeasurementKind.Counter, "file.read", MeasurementValue.Count(i),
                Tags.Of(("process_str", "cat"), ("seq", i.ToString()))))
            .ToArray();

    private static HttpBackendOptions Options(IngestServer server) => ComponentSettings.Http with
    {
        Uri = server.Uri,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static int[] Values(IEnumerable<ReceivedRequest> requests) =>
        requests.SelectMany(r => r.Measurements()).Select(e => (int)e.GetProperty("value").GetDouble()).ToArray();

    [Fact]
    public async Task Batches_by_count_as_a_json_array_and_the_flush_sends_the_rest()
    {
        await using var server = await IngestServer.StartAsync();
        await using var writer = new HttpBackendWriter(Options(server) with { BatchSize = 10 });

        await writer.WriteAsync(Numbered(0, 25), CancellationToken.None);
        Assert.Equal(2, server.Requests.Count); // two full batches went at once
        await writer.FlushAsync(CancellationToken.None);

        var accepted = server.Accepted;
        Assert.Equal([10, 10, 5], accepted.Select(r => r.Measurements().Count));
        Assert.Equal(Enumerable.Range(0, 25), Values(accepted));
        Assert.All(accepted, r => Assert.StartsWith("application/json", r.Headers["Content-Type"]));
        var first = accepted[0].Measurements()[0];
        Assert.Equal(1_700_000_000_000_000_000, first.GetProperty("timestamp").GetInt64());
        Assert.Equal("file.read", first.GetProperty("name").GetString());
        Assert.Equal("counter", first.GetProperty("kind").GetString());
        Assert.Equal("count", first.GetProperty("unit").GetString());
        Assert.Equal("cat", first.GetProperty("tags").GetProperty("process_str").GetString());
        Assert.Equal(25, writer.Counters.Sent);
        // keep-alive: one connection carried all requests
        Assert.Single(accepted.Select(r => r.ConnectionId).Distinct());
    }

    [Fact]
    public async Task Gzip_ndjson_with_custom_headers()
    {
        await using var server = await IngestServer.StartAsync();
        var options = Options(server) with
        {
            Encoding = HttpBodyEncoding.Ndjson,
            Gzip = true,
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer s3cr3t", ["X-Ingrain-Host"] = "web-1" },
        };
        await using var writer = new HttpBackendWriter(options);

        await writer.WriteAsync(Numbered(0, 7), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        var request = Assert.Single(server.Accepted);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("application/x-ndjson", request.Headers["Content-Type"]);
        Assert.Equal("Bearer s3cr3t", request.Headers["Authorization"]);
        Assert.Equal("web-1", request.Headers["X-Ingrain-Host"]);
        Assert.Equal(7, request.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(Enumerable.Range(0, 7), Values([request]));
        Assert.DoesNotContain("s3cr3t", options.ToString());
    }

    [Fact]
    public async Task Batches_by_bytes()
    {
        await using var server = await IngestServer.StartAsync();
        await using var writer = new HttpBackendWriter(Options(server) with { BatchBytes = 2048, Encoding = HttpBodyEncoding.Ndjson });

        await writer.WriteAsync(Numbered(0, 100), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        var accepted = server.Accepted;
        Assert.True(accepted.Count >= 5, $"expected several byte-bounded requests, got {accepted.Count}");
        var longestLine = accepted.SelectMany(r => r.Body.Split('\n')).Max(l => l.Length + 1);
        Assert.All(accepted, r => Assert.True(r.Body.Length < 2048 + longestLine, $"body of {r.Body.Length} bytes"));
        Assert.Equal(Enumerable.Range(0, 100), Values(accepted));
    }

    [Fact]
    public async Task A_server_failing_N_times_then_succeeding_gets_everything_once()
    {
        // 5xx, 429 and dropped connections, then success.
        var failures = new Dictionary<int, IngestResponse>
        {
            [1] = new(503), [2] = new(500), [3] = new(0, Abort: true), [4] = new(429, RetryAfter: "0"), [5] = new(502),
        };
        await using var server = await IngestServer.StartAsync(n => failures.GetValueOrDefault(n, IngestResponse.Ok));
        await using var writer = new HttpBackendWriter(Options(server) with { BatchSize = 20, MaxRetries = 10 });

        await writer.WriteAsync(Numbered(0, 100), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 100), Values(server.Accepted));
        Assert.Equal(100, writer.Counters.Sent);
        Assert.Equal(5, writer.Counters.Failed);
        Assert.Equal(5, writer.Counters.Retried);
        Assert.Equal(0, writer.Counters.Dropped);
    }

    [Fact]
    public async Task An_outage_longer_than_the_retries_keeps_batches_until_a_later_flush()
    {
        var down = true;
        await using var server = await IngestServer.StartAsync(_ => Volatile.Read(ref down) ? new IngestResponse(503) : IngestResponse.Ok);
        await using var writer = new HttpBackendWriter(Options(server) with { BatchSize = 10, MaxRetries = 2 });

        await writer.WriteAsync(Numbered(0, 30), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal(0, writer.Counters.Sent);
        Assert.Equal(30, writer.PendingMeasurements);

        await writer.WriteAsync(Numbered(30, 15), CancellationToken.None);
        Volatile.Write(ref down, false);
        await Task.Delay(Options(server).RetryMaxDelay); // the longest outage pause
        await writer.FlushAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 45), Values(server.Accepted));
        Assert.Equal(45, writer.Counters.Sent);
        Assert.Equal(0, writer.PendingMeasurements);
    }

    [Fact]
    public async Task Flushes_during_the_outage_pause_only_queue_and_do_not_run_the_retry_chain()
    {
        await using var server = await IngestServer.StartAsync(_ => new IngestResponse(503));
        // The first pause after a failure is at least half of retry-delay: 5 s, far longer than these flushes take.
        var options = Options(server) with
        {
            BatchSize = 10, MaxRetries = 0, RetryDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromSeconds(10),
        };
        await using var writer = new HttpBackendWriter(options);

        await writer.WriteAsync(Numbered(0, 5), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None); // fails: the pause starts
        Assert.Equal(1, server.Attempts);

        for (var i = 1; i <= 3; i++)
        {
            await writer.WriteAsync(Numbered(i * 5, 5), CancellationToken.None);
            await writer.FlushAsync(CancellationToken.None);
        }
        await writer.WriteAsync(Numbered(20, 10), CancellationToken.None); // a full batch during the pause
        Assert.Equal(1, server.Attempts);
        Assert.Equal(30, writer.PendingMeasurements); // sealed and kept, in order, for after the pause
        Assert.Equal(0, writer.Counters.Dropped);
    }

    [Fact]
    public async Task A_full_pending_queue_drops_the_oldest_batches_and_counts_them()
    {
        var down = true;
        await using var server = await IngestServer.StartAsync(_ => Volatile.Read(ref down) ? new IngestResponse(503) : IngestResponse.Ok);
        var options = Options(server) with
        {
            BatchSize = 10, BatchBytes = 1024, MaxPendingBytes = 3 * 1024, MaxRetries = 0, Encoding = HttpBodyEncoding.Ndjson,
        };
        await using var writer = new HttpBackendWriter(options);

        for (var i = 0; i < 10; i++)
        {
            await writer.WriteAsync(Numbered(i * 10, 10), CancellationToken.None);
            await writer.FlushAsync(CancellationToken.None);
        }
        Volatile.Write(ref down, false);
        await Task.Delay(options.RetryMaxDelay); // the longest outage pause
        await writer.FlushAsync(CancellationToken.None);

        var delivered = Values(server.Accepted);
        Assert.Equal(100, writer.Counters.Sent + writer.Counters.Dropped);
        Assert.True(writer.Counters.Dropped > 0, "the queue bound must have dropped something");
        // What survived is the newest data, in order.
        Assert.Equal(Enumerable.Range(100 - delivered.Length, delivered.Length), delivered);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        await using var server = await IngestServer.StartAsync(n => n == 1 ? new IngestResponse(429, RetryAfter: "1") : IngestResponse.Ok);
        await using var writer = new HttpBackendWriter(Options(server) with { RetryMaxDelay = TimeSpan.FromSeconds(5) });

        await writer.WriteAsync(Numbered(0, 3), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        var attempts = server.Requests.OrderBy(r => r.Attempt).ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900),
            $"retried after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms despite Retry-After: 1");
    }

    [Fact]
    public async Task A_400_is_counted_and_not_retried()
    {
        await using var server = await IngestServer.StartAsync(_ => new IngestResponse(400));
        await using var writer = new HttpBackendWriter(Options(server));

        await writer.WriteAsync(Numbered(0, 10), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        Assert.Equal(1, server.Attempts);
        Assert.Equal(10, writer.Counters.Dropped);
        Assert.Equal(1, writer.Counters.Failed);
        Assert.Equal(0, writer.Counters.Retried);
        Assert.Equal(0, writer.PendingMeasurements);
    }

    [Fact]
    public void Options_compare_by_value_including_headers()
    {
        var a = ComponentSettings.Http with { Uri = new Uri("http://127.0.0.1/"), Headers = new Dictionary<string, string> { ["a"] = "1" } };
        Assert.Equal(a, a with { Headers = new Dictionary<string, string> { ["a"] = "1" } });
        Assert.NotEqual(a, a with { Headers = new Dictionary<string, string> { ["a"] = "2" } });
    }

    [Fact]
    public void Options_validation_reports_every_problem()
    {
        var errors = (ComponentSettings.Http with
        {
            Uri = new Uri("ftp://x/"), BatchSize = 0, Headers = new Dictionary<string, string> { ["Bad Name"] = "v\r\n" },
        }).Validate();
        Assert.Equal(4, errors.Count);
        Assert.Contains("uri: required", (ComponentSettings.Http with { Uri = null }).Validate());
    }
}
