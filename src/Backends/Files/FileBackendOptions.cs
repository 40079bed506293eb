using Ingrain.Backends.Parquet;
using Ingrain.Model.Json;

namespace Ingrain.Backends.Files;

/// <summary>
/// Settings of the <c>file</c> backend: NDJSON appended to <paramref name="Path"/>; when the file would grow past
/// <paramref name="MaxBytes"/> it is rotated to <c>Path.1</c> (older ones shift to <c>.2</c>, …) and at most
/// <paramref name="MaxFiles"/> rotated files are kept. With <see cref="Parquet"/> set (<c>encoding = parquet</c>),
/// <paramref name="Path"/> is a directory of Hive-partitioned Parquet files instead (<see cref="ParquetFileWriter"/>).
/// </summary>
public sealed record FileBackendOptions(string Path, long MaxBytes, int MaxFiles, JsonLineEncoding Encoding)
{
    public ParquetFileOptions? Parquet { get; init; }
}

/// <summary>
/// Parquet output of the file backend: a file is closed after <paramref name="RollInterval"/> (counted from its first
/// row) or at <see cref="ParquetSettings.RowGroupSize"/> rows; its rows carry <paramref name="Host"/>.
/// </summary>
public sealed record ParquetFileOptions(ParquetSettings Settings, TimeSpan RollInterval, string Host);
