using System.Text;

namespace Ingrain.Backends.Partitions;

/// <summary>
/// Object keys (S3) and relative file paths (the file backend's Parquet directory) partitioned for query engines (Athena, Trino, Spark):
/// <c>&lt;prefix&gt;/dt=YYYY-MM-DD/hour=HH/host=&lt;host&gt;/&lt;timestamp&gt;-&lt;seq&gt;&lt;extension&gt;</c> (<c>.ndjson.gz</c>,
/// <c>.parquet</c>), where the
/// timestamp is the batch's UTC close time as <c>yyyyMMddTHHmmssfffZ</c> and seq a 6-digit counter, so keys of one
/// host sort in the order their batches were closed.
/// </summary>
public static class PartitionedKey
{
    public static string For(string prefix, string host, DateTimeOffset closedAt, int sequence, string extension = ".ndjson.gz")
    {
        var t = closedAt.UtcDateTime;
        var sb = new StringBuilder(prefix.Length + host.Length + 80);
        if (prefix.Length > 0) sb.Append(prefix).Append('/');
        sb.Append("dt=").Append(t.ToString("yyyy-MM-dd")).Append("/hour=").Append(t.ToString("HH"));
        sb.Append("/host=").Append(SanitizeHost(host)).Append('/');
        sb.Append(t.ToString("yyyyMMdd'T'HHmmssfff'Z'")).Append('-').Append((sequence % 1_000_000).ToString("D6"));
        sb.Append(extension);
        return sb.ToString();
    }

    /// <summary>The last path segment, which orders keys of one host chronologically.</summary>
    public static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    /// <summary>The <c>host=</c> partition value of <paramref name="host"/>: characters other than letters, digits, '.', '-', '_' become '_'.</summary>
    public static string SanitizeHost(string host)
    {
        var chars = host.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not ('.' or '-' or '_')) chars[i] = '_';
        }
        return new string(chars);
    }
}
