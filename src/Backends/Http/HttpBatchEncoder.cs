using Ingrain.Backends.Encoders;
using Ingrain.Model.Json;
using System.Buffers;

namespace Ingrain.Backends.Http;

/// <summary>An encoded request body and how many measurements it carries.</summary>
internal sealed record HttpBatch(byte[] Body, int Count);

/// <summary>Accumulates measurements into one request body (JSON array or NDJSON), gzipped when sealed if asked.</summary>
internal sealed class HttpBatchEncoder(HttpBodyEncoding encoding, bool gzip)
{
    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);

    public int Count { get; private set; }

    /// <summary>Uncompressed bytes so far.</summary>
    public int Bytes => _body.WrittenCount;

    public void Append(Measurement m)
    {
        if (encoding == HttpBodyEncoding.Ndjson)
        {
            MeasurementJson.WriteLine(_body, m);
        }
        else
        {
            _body.Write(Count == 0 ? "["u8 : ","u8);
            MeasurementJson.WriteObject(_body, m);
        }
        Count++;
    }

    /// <summary>The finished body of what was appended, then starts over; null when nothing was appended.</summary>
    public HttpBatch? Seal()
    {
        if (Count == 0) return null;
        if (encoding == HttpBodyEncoding.Json) _body.Write("]"u8);
        var body = gzip ? GzipCompression.Compress(_body.WrittenSpan) : _body.WrittenSpan.ToArray();
        var batch = new HttpBatch(body, Count);
        _body.ResetWrittenCount();
        Count = 0;
        return batch;
    }
}
