using System.IO.Compression;

namespace Ingrain.Backends.Encoders;

/// <summary>Gzip of a whole body in one call (HTTP bodies, S3 objects).</summary>
public static class GzipCompression
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length / 4 + 64);
        using (var zip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(data);
        }
        return output.ToArray();
    }
}
