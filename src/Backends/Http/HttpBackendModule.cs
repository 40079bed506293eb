using Ingrain.Topology.Logging;
using Ingrain.Backends.Retry;
using Microsoft.Extensions.Logging;

namespace Ingrain.Backends.Http;

/// <summary><c>backend { type = http }</c>: batches POSTed as JSON or NDJSON, retried with backoff.</summary>
public sealed class HttpBackendModule : BackendModule<HttpBackendOptions>
{
    private static readonly Dictionary<string, HttpBodyEncoding> Encodings = new() { ["json"] = HttpBodyEncoding.Json, ["ndjson"] = HttpBodyEncoding.Ndjson };

    public override string Name => "http";

    protected override HttpBackendOptions? Parse(ConfigSection s)
    {
        var uri = s.String("uri", required: true);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (s.Object("headers") is { } h)
        {
            foreach (var key in h.User.Keys)
            {
                if (h.String(key) is { } value) headers[key] = value;
            }
        }
        if (uri is not null && !Uri.TryCreate(uri, UriKind.Absolute, out _)) s.Error("uri", $"\"{Redaction.Text(uri)}\" is not an absolute URI");
        var retry = RetryKeys.Read(s);
        return s.Validated(new HttpBackendOptions
        {
            Uri = uri is not null && Uri.TryCreate(uri, UriKind.Absolute, out var u) ? u : null,
            Headers = headers,
            Encoding = s.Choice("encoding", Encodings),
            Gzip = s.Bool("gzip"),
            BatchSize = s.Int("batch-size"),
            BatchBytes = (int)Math.Min(int.MaxValue, s.Bytes("batch-bytes")),
            Timeout = s.Duration("timeout"),
            MaxRetries = retry.MaxRetries,
            RetryDelay = retry.Delay,
            RetryMaxDelay = retry.MaxDelay,
            MaxPendingBytes = s.Bytes("max-pending-bytes"),
        }, o => o.Validate());
    }

    protected override IBackendWriter Create(HttpBackendOptions options, BackendContext context) =>
        new HttpBackendWriter(options, context.LoggerFactory.CreateLogger<HttpBackendWriter>(), context.Time);
}
