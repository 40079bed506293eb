using System.Buffers;
using Ingrain.Backends.Encoders;
using Ingrain.Backends.Parquet;
using Ingrain.Model.Json;

namespace Ingrain.Backends.S3;

/// <summary>The batch the S3 backend is gathering, in its object format; sealed into the bytes of one object.</summary>
internal abstract class S3OpenBatch
{
    public static S3OpenBatch For(S3BackendOptions options) => options.Encoding switch
    {
        S3Encoding.Parquet => new ParquetBatch(options),
        _ => new NdjsonGzBatch(options.MaxBatchSize),
    };

    /// <summary>Measurements in the batch.</summary>
    public int Count { get; protected set; }

    /// <summary>The object key's extension, e.g. <c>.ndjson.gz</c>.</summary>
    public abstract string Extension { get; }

    /// <summary>The Content-Type of an object, from its key's extension.</summary>
    public static string ContentTypeOf(string key) =>
        key.EndsWith(".parquet", StringComparison.Ordinal) ? "application/vnd.apache.parquet" : "application/gzip";

    /// <summary>Adds one measurement; true when the batch is now full and must be sealed.</summary>
    public abstract bool Add(Measurement m);

    /// <summary>The object's body; the batch is empty afterwards.</summary>
    public abstract ValueTask<byte[]> SealAsync(CancellationToken ct);

    /// <summary>NDJSON lines, gzipped when sealed; full at <c>max-batch-size</c> uncompressed bytes.</summary>
    private sealed class NdjsonGzBatch(long maxBytes) : S3OpenBatch
    {
        private readonly ArrayBufferWriter<byte> _lines = new(256 * 1024);

        public override string Extension => ".ndjson.gz";

        public override bool Add(Measurement m)
        {
            MeasurementJson.WriteLine(_lines, m);
            Count++;
            return _lines.WrittenCount >= maxBytes;
        }

        public override ValueTask<byte[]> SealAsync(CancellationToken ct)
        {
            var body = GzipCompression.Compress(_lines.WrittenSpan);
            _lines.ResetWrittenCount();
            Count = 0;
            return ValueTask.FromResult(body);
        }
    }

    /// <summary>
    /// The measurements themselves (references, no copy), encoded when sealed; full at <c>row-group-size</c> rows, so
    /// an object is one row group.
    /// </summary>
    private sealed class ParquetBatch(S3BackendOptions options) : S3OpenBatch
    {
        private readonly ParquetBatchEncoder _encoder = new(options.Parquet);
        private readonly List<Measurement> _rows = [];

        public override string Extension => ".parquet";

        public override bool Add(Measurement m)
        {
            _rows.Add(m);
            Count++;
            return _rows.Count >= options.Parquet.RowGroupSize;
        }

        public override async ValueTask<byte[]> SealAsync(CancellationToken ct)
        {
            // Not cancelled by the shutdown deadline: a sealed batch is always complete (it is spooled if not uploaded).
            var body = await _encoder.EncodeAsync(_rows, options.Host, CancellationToken.None).ConfigureAwait(false);
            _rows.Clear();
            Count = 0;
            return body;
        }
    }
}
