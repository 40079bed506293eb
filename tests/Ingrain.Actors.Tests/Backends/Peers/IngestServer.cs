using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Tests.Backends.Peers;

/// <summary>One POST as the server saw it: headers, the decoded body, and the response it got.</summary>
internal sealed record ReceivedRequest(
    int Attempt, string ConnectionId, IReadOnlyDictionary<string, string> Headers, string Body, int Status, DateTime At)
{
    /// <summary>The measurement objects of the body (a JSON array or NDJSON).</summary>
    public IReadOnlyList<JsonElement> Measurements()
    {
        var trimmed = Body.TrimStart();
        if (trimmed.StartsWith('['))
            return JsonDocument.Parse(Body).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        return Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }
}

/// <summary>What the server does with attempt number n (1-based): a status, an optional Retry-After, or abort the connection.</summary>
internal sealed record IngestResponse(int Status, string? RetryAfter = null, bool Abort = false)
{
    public static readonly IngestResponse Ok = new(200);
}

/// <summary>A real Kestrel server on 127.0.0.1 that records every POST to /ingest.</summary>
internal sealed class IngestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _attempts;

    private IngestServer(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The requests answered with 2xx, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => Requests.Where(r => r.Status is >= 200 and < 300).OrderBy(r => r.Attempt).ToArray();

    public int Attempts => Volatile.Read(ref _attempts);

    public static async Task<IngestServer> StartAsync(Func<int, IngestResponse>? behaviour = null)
    {
        behaviour ??= _ => IngestResponse.Ok;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new IngestServer(app);
        app.MapPost("/ingest", async context =>
        {
            var attempt = Interlocked.Increment(ref server._attempts);
            var response = behaviour(attempt);
            using var body = new MemoryStream();
            var input = context.Request.Headers.ContentEncoding == "gzip"
                ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
                : context.Request.Body;
            await input.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            server.Requests.Enqueue(new ReceivedRequest(attempt, context.Connection.Id, headers, Encoding.UTF8.GetString(body.ToArray()),
                response.Abort ? 0 : response.Status, DateTime.UtcNow));
            if (response.Abort)
            {
                context.Abort();
                return;
            }
            context.Response.StatusCode = response.Status;
            if (response.RetryAfter is not null) context.Response.Headers.RetryAfter = response.RetryAfter;
        });
        await app.StartAsync();
        server.Uri = new Uri(app.Urls.First() + "/ingest");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
