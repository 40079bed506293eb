namespace Ingrain.Backends.Parquet;

/// <summary>Codec of a Parquet file's pages (<c>parquet-compression</c>).</summary>
public enum ParquetCompression
{
    Zstd,
    Snappy,
}

/// <summary>
/// How the S3 and file backends write Parquet: at most <paramref name="RowGroupSize"/> rows per row group (and per file:
/// a batch that reaches it is closed), pages compressed with <paramref name="Compression"/>.
/// </summary>
public sealed record ParquetSettings(int RowGroupSize, ParquetCompression Compression)
{
    public static readonly IReadOnlyDictionary<string, ParquetCompression> CompressionNames =
        new Dictionary<string, ParquetCompression> { ["zstd"] = ParquetCompression.Zstd, ["snappy"] = ParquetCompression.Snappy };

    public const int MinRowGroupSize = 1000;
    public const int MaxRowGroupSize = 10_000_000;

    /// <summary>Reads <c>row-group-size</c> and <c>parquet-compression</c> of a backend section.</summary>
    public static ParquetSettings Read(ConfigSection s) =>
        new(s.Int("row-group-size", min: MinRowGroupSize, max: MaxRowGroupSize), s.Choice("parquet-compression", CompressionNames));
}
