namespace Ingrain.Backends.S3;

/// <summary>The format of the S3 backend's objects (<c>encoding</c>).</summary>
public enum S3Encoding
{
    /// <summary>Gzipped NDJSON, <c>.ndjson.gz</c> (the default: what existing tables over the prefix read).</summary>
    Ndjson,
    /// <summary>Parquet, <c>.parquet</c> (docs/backends.md, "Parquet").</summary>
    Parquet,
}
