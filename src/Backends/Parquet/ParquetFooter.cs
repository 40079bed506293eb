using System.Reflection;
using Parquet.Meta;

namespace Ingrain.Backends.Parquet;

/// <summary>
/// Marks an INT64 column of a finished Parquet file as <c>TIMESTAMP(NANOS, isAdjustedToUTC = true)</c>.
/// Parquet.Net 6 writes nanosecond timestamps only from <see cref="DateTime"/> (100 ns ticks), which would cut the
/// last two digits of a measurement's timestamp; so the column is written as its exact int64 nanoseconds and the
/// footer's schema element then gets the logical type. The footer's Thrift codec is internal to Parquet.Net (pinned
/// in Directory.Packages.props); the Parquet tests fail if a new version changes it.
/// </summary>
internal static class ParquetFooter
{
    private static readonly Assembly Library = typeof(global::Parquet.ParquetWriter).Assembly;
    private static readonly System.Type ThriftReader = Library.GetType("Parquet.Meta.Proto.ThriftCompactProtocolReader", throwOnError: true)!;
    private static readonly System.Type ThriftWriter = Library.GetType("Parquet.Meta.Proto.ThriftCompactProtocolWriter", throwOnError: true)!;
    private static readonly MethodInfo Read = typeof(FileMetaData).GetMethod("Read", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new MissingMethodException(nameof(FileMetaData), "Read");
    private static readonly MethodInfo Write = typeof(FileMetaData).GetMethod("Write", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new MissingMethodException(nameof(FileMetaData), "Write");

    /// <summary>Rewrites the footer at the end of <paramref name="file"/> (a whole Parquet file, positioned anywhere).</summary>
    public static void MarkNanosecondTimestamp(Stream file, string column)
    {
        Span<byte> tail = stackalloc byte[8];
        file.Position = file.Length - 8;
        file.ReadExactly(tail);
        var footerLength = BitConverter.ToInt32(tail);
        var footerStart = file.Length - 8 - footerLength;
        var footer = new byte[footerLength];
        file.Position = footerStart;
        file.ReadExactly(footer);

        var meta = (FileMetaData)Read.Invoke(null, [Activator.CreateInstance(ThriftReader, new MemoryStream(footer, writable: false))])!;
        var element = meta.Schema.Single(e => e.Name == column && e.NumChildren is null or 0);
        element.LogicalType = new LogicalType
        {
            TIMESTAMP = new TimestampType { IsAdjustedToUTC = true, Unit = new TimeUnit { NANOS = new NanoSeconds() } },
        };
        element.ConvertedType = null; // there is no converted (legacy) type for nanoseconds

        using var encoded = new MemoryStream(footerLength + 64);
        Write.Invoke(meta, [Activator.CreateInstance(ThriftWriter, encoded)]);
        file.SetLength(footerStart);
        file.Position = footerStart;
        encoded.Position = 0;
        encoded.CopyTo(file);
        BitConverter.TryWriteBytes(tail, (int)encoded.Length);
        "PAR1"u8.CopyTo(tail[4..]);
        file.Write(tail);
    }
}
