using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ingrain.Backends.StatsD;

/// <summary>
/// Formats one measurement as DogStatsD text: <c>prefix.name:value|type[|@rate][|#k:v,…]</c>.
/// Characters that would break the line (<c>:</c> <c>|</c> <c>@</c> <c>#</c> <c>,</c> newline) are replaced by
/// <c>_</c> in names and tags. An absolute gauge with a negative value is written as two lines
/// (<c>name:0|g</c> then <c>name:-5|g</c>) because StatsD reads a leading minus as a relative change.
/// </summary>
public sealed class StatsDLineFormatter
{
    private readonly byte[] _prefix;
    private readonly StatsDHistogramType _histogramType;

    public StatsDLineFormatter(string prefix, StatsDHistogramType histogramType = StatsDHistogramType.Histogram)
    {
        _prefix = prefix.Length == 0 ? [] : Encoding.UTF8.GetBytes(prefix.EndsWith('.') ? prefix : prefix + ".");
        _histogramType = histogramType;
    }

    /// <summary>
    /// Appends the line(s) for <paramref name="m"/> to <paramref name="output"/> without a trailing newline.
    /// Returns false, writing nothing, when the measurement has no StatsD form (a string value on a non-set kind,
    /// or a number that is not finite).
    /// </summary>
    public bool TryWrite(IBufferWriter<byte> output, Measurement m)
    {
        var type = StatsDMetricTypes.For(m.Kind, _histogramType);
        if (m.Value.IsString && type != StatsDMetricType.Set) return false;
        if (!m.Value.IsString && !double.IsFinite(m.Value.Number)) return false;

        if (type == StatsDMetricType.Gauge && m.Reset && m.Value.Number < 0)
        {
            WriteLine(output, m, type, "0"u8, relative: false);
            output.Write("\n"u8);
        }
        WriteLine(output, m, type, default, relative: type == StatsDMetricType.Gauge && !m.Reset);
        return true;
    }

    private void WriteLine(IBufferWriter<byte> output, Measurement m, StatsDMetricType type, ReadOnlySpan<byte> valueOverride,
        bool relative)
    {
        output.Write(_prefix);
        WriteSanitized(output, m.Name, dropColon: true);
        output.Write(":"u8);
        if (!valueOverride.IsEmpty) output.Write(valueOverride);
        else if (m.Value.IsString) WriteSanitized(output, m.Value.Text ?? "", dropColon: false);
        else
        {
            if (relative && m.Value.Number >= 0) output.Write("+"u8);
            WriteNumber(output, m.Value.Number);
        }
        output.Write("|"u8);
        output.Write(StatsDMetricTypes.Suffix(type));
        if (m.SampleRate is > 0 and < 1)
        {
            output.Write("|@"u8);
            WriteNumber(output, m.SampleRate);
        }
        var tags = m.Tags.AsSpan();
        if (tags.Length > 0)
        {
            output.Write("|#"u8);
            for (var i = 0; i < tags.Length; i++)
            {
                if (i > 0) output.Write(","u8);
                WriteSanitized(output, tags[i].Key, dropColon: true);
                if (tags[i].Value.Length == 0) continue;
                output.Write(":"u8);
                WriteSanitized(output, tags[i].Value, dropColon: false);
            }
        }
    }

    private static void WriteNumber(IBufferWriter<byte> output, double value)
    {
        var span = output.GetSpan(32);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("a double did not fit in 32 bytes");
        output.Advance(written);
    }

    // Names and tag keys lose ':' too; values may keep it (DogStatsD splits a tag on its first ':').
    private static void WriteSanitized(IBufferWriter<byte> output, string text, bool dropColon)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = Encoding.UTF8.GetBytes(text, span);
        var bytes = span[..n];
        for (var i = 0; i < bytes.Length; i++)
        {
            switch (bytes[i])
            {
                case (byte)'|' or (byte)',' or (byte)'\n' or (byte)'\r' or (byte)'#' or (byte)'@':
                case (byte)':' when dropColon:
                    bytes[i] = (byte)'_';
                    break;
            }
        }
        output.Advance(n);
    }
}
