using Ingrain.Topology.Logging;
using Ingrain.Backends.Parquet;
using Ingrain.Backends.Retry;
using Microsoft.Extensions.Logging;

namespace Ingrain.Backends.S3;

/// <summary><c>backend { type = s3 }</c>: NDJSON or Parquet objects uploaded to S3, spooled on disk while S3 is unreachable.</summary>
public sealed class S3BackendModule : BackendModule<S3BackendConfig>
{
    public override string Name => "s3";

    private static readonly IReadOnlyDictionary<string, S3Encoding> Encodings =
        new Dictionary<string, S3Encoding> { ["ndjson"] = S3Encoding.Ndjson, ["parquet"] = S3Encoding.Parquet };

    protected override S3BackendConfig? Parse(ConfigSection s)
    {
        var endpoint = s.String("endpoint");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _)) s.Error("endpoint", $"\"{Redaction.Text(endpoint)}\" is not an absolute http:// or https:// URL");
        var host = s.String("host");
        var retry = RetryKeys.Read(s);
        var options = s.Validated(new S3BackendOptions
        {
            Bucket = s.String("bucket", required: true) ?? "",
            Prefix = s.String("prefix", required: true) ?? "",
            Region = s.String("region"),
            Endpoint = endpoint is not null && Uri.TryCreate(endpoint, UriKind.Absolute, out var e) ? e : null,
            ForcePathStyle = s.Bool("force-path-style"),
            Encoding = s.Choice("encoding", Encodings),
            Parquet = ParquetSettings.Read(s),
            MaxBatchSize = s.Bytes("max-batch-size"),
            SpoolDir = s.String("spool-dir", required: true) ?? "",
            SpoolMaxSize = s.Bytes("spool-max-size"),
            // Unset: the host's name, read when the backend starts (so a renamed host shows its new name).
            Host = host ?? Environment.MachineName,
            UploadTimeout = s.Duration("upload-timeout"),
            MaxRetries = retry.MaxRetries,
            RetryDelay = retry.Delay,
            RetryMaxDelay = retry.MaxDelay,
        }, o => o.Validate());
        return options is null ? null : new S3BackendConfig(options, HostFromSystem: host is null);
    }

    protected override IBackendWriter Create(S3BackendConfig config, BackendContext context) =>
        new S3BackendWriter(config.Resolve(), context.LoggerFactory.CreateLogger<S3BackendWriter>(), context.Time);
}
