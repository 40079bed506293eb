using Ingrain.Topology.Logging;

namespace Ingrain.Backends.S3;

/// <summary>
/// Options of the S3 backend (HOCON <c>backend { type = s3 … }</c>); defaults as in docs/configuration.md.
/// There are deliberately no credential options: credentials come from the standard AWS chain only
/// (environment, shared profile, container or instance role).
/// </summary>
public sealed record S3BackendOptions
{

    /// <summary>Target bucket (<c>bucket</c>, required).</summary>
    public required string Bucket { get; init; }

    /// <summary>Key prefix before the partitions (<c>prefix</c>); empty for none.</summary>
    public required string Prefix { get; init; }

    /// <summary>AWS region (<c>region</c>); null lets the SDK's chain decide (AWS_REGION, profile, instance metadata).</summary>
    public string? Region { get; init; }

    /// <summary>Endpoint of an S3-compatible store (<c>endpoint</c>), e.g. MinIO; null for AWS.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Path-style addressing <c>endpoint/bucket/key</c> instead of <c>bucket.endpoint/key</c> (<c>force-path-style</c>).</summary>
    public required bool ForcePathStyle { get; init; }

    /// <summary>Format of the objects (<c>encoding</c>).</summary>
    public required S3Encoding Encoding { get; init; }

    /// <summary>Row groups and compression of Parquet objects (<c>row-group-size</c>, <c>parquet-compression</c>).</summary>
    public required Parquet.ParquetSettings Parquet { get; init; }

    /// <summary>Uncompressed NDJSON bytes that close a batch early (<c>max-batch-size</c>; NDJSON only).</summary>
    public required long MaxBatchSize { get; init; }

    /// <summary>
    /// Root of the durable spool for batches that could not be uploaded (<c>spool-dir</c>). Each backend spools into its
    /// own subdirectory, <see cref="SpoolDirectory"/>, so backends sharing this root never share batches.
    /// </summary>
    public required string SpoolDir { get; init; }

    private readonly string? _spoolDirectory;

    /// <summary>
    /// The directory this backend spools into: unless set, <c>&lt;spool-dir&gt;/&lt;bucket&gt;-&lt;hash&gt;</c>, the hash
    /// taken over endpoint, bucket and prefix — a batch is only ever uploaded to the destination it was spooled for.
    /// </summary>
    public string SpoolDirectory
    {
        get => _spoolDirectory ?? Path.Combine(SpoolDir, $"{Bucket}-{DestinationHash()}");
        init => _spoolDirectory = value;
    }

    private string DestinationHash()
    {
        var destination = System.Text.Encoding.UTF8.GetBytes($"{Endpoint}\n{Bucket}\n{Prefix}");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(destination).AsSpan(0, 6));
    }

    /// <summary>Bytes the spool may hold; when full the oldest batches are dropped, counted (<c>spool-max-size</c>).</summary>
    public required long SpoolMaxSize { get; init; }

    /// <summary>The <c>host=</c> partition (<c>host</c>); the pipeline passes the machine's FQDN.</summary>
    public required string Host { get; init; }

    /// <summary>Time limit of one upload attempt (<c>upload-timeout</c>).</summary>
    public required TimeSpan UploadTimeout { get; init; }

    /// <summary>Immediate retries of one upload before the batch goes to the spool (<c>max-retries</c>).</summary>
    public required int MaxRetries { get; init; }

    /// <summary>First delay between retries, doubled per retry with jitter; also the first spool retry pause (<c>retry-delay</c>).</summary>
    public required TimeSpan RetryDelay { get; init; }

    /// <summary>Longest pause before the spool is retried (<c>retry-max-delay</c>).</summary>
    public required TimeSpan RetryMaxDelay { get; init; }

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket)) errors.Add("bucket: required");
        if (Prefix.StartsWith('/') || Prefix.EndsWith('/')) errors.Add($"prefix: '{Prefix}' must not start or end with '/'");
        if (Prefix.Length > 100) errors.Add("prefix: longer than 100 characters");
        if (Endpoint is not null && (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != "http" && Endpoint.Scheme != "https")))
            errors.Add($"endpoint: '{Redaction.Uri(Endpoint)}' must be an absolute http:// or https:// address");
        if (Region is { Length: 0 }) errors.Add("region: must not be empty when set");
        if (MaxBatchSize < 1024) errors.Add($"max-batch-size: {MaxBatchSize} must be at least 1024 bytes");
        if (string.IsNullOrWhiteSpace(SpoolDir)) errors.Add("spool-dir: required");
        if (_spoolDirectory is { } own && string.IsNullOrWhiteSpace(own)) errors.Add("spool directory: must not be empty when set");
        if (SpoolMaxSize < 1024 * 1024) errors.Add($"spool-max-size: {SpoolMaxSize} must be at least 1 MiB");
        if (string.IsNullOrWhiteSpace(Host)) errors.Add("host: must not be empty");
        if (UploadTimeout <= TimeSpan.Zero) errors.Add("upload-timeout: must be positive");
        if (MaxRetries < 0) errors.Add($"max-retries: {MaxRetries} must not be negative");
        if (RetryDelay <= TimeSpan.Zero) errors.Add("retry-delay: must be positive");
        if (RetryMaxDelay < RetryDelay) errors.Add("retry-max-delay: must not be shorter than retry-delay");
        return errors;
    }
}
