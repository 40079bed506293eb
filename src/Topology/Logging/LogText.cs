using System.Globalization;
using System.Text;

namespace Ingrain.Topology.Logging;

/// <summary>
/// Makes text that came from outside (a StatsD datagram, a command's output, a configuration value) safe to echo in a
/// log line: control characters (CR, LF, ESC, NUL, DEL, C1 controls, and the Unicode line/paragraph separators and
/// bidirectional overrides) become visible escapes such as <c>\r</c>, <c>\x1b</c> or <c>\u202e</c>, so a sender cannot
/// forge log lines or rewrite the operator's terminal. Backslashes are doubled, so an escape in the input cannot pass
/// for one we made.
/// </summary>
public static class LogText
{
    /// <summary>The text with every control character escaped, cut to <paramref name="maxChars"/> (then "…" is appended).</summary>
    public static string Escape(string text, int maxChars = 200)
    {
        var cut = text.Length > maxChars;
        var span = cut ? text.AsSpan(0, maxChars) : text.AsSpan();
        if (!NeedsEscaping(span)) return cut ? string.Concat(span, "…") : text;
        var result = new StringBuilder(span.Length + 16);
        foreach (var c in span)
        {
            switch (c)
            {
                case '\\': result.Append(@"\\"); break;
                case '\r': result.Append(@"\r"); break;
                case '\n': result.Append(@"\n"); break;
                case '\t': result.Append(@"\t"); break;
                case < ' ' or '\x7f': result.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                case var _ when IsOtherControl(c): result.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: result.Append(c); break;
            }
        }
        if (cut) result.Append('…');
        return result.ToString();
    }

    /// <summary>Control characters escaped, backslashes left alone: for our own messages that quote input (a
    /// configuration error shows a regex such as <c>conn(\d+</c> as written).</summary>
    public static string EscapeControls(string text)
    {
        var clean = true;
        foreach (var c in text) clean &= !(c is < ' ' or '\x7f' || IsOtherControl(c));
        return clean ? text : Escape(text, int.MaxValue).Replace(@"\\", @"\", StringComparison.Ordinal);
    }

    /// <summary>Bytes decoded as UTF-8 (invalid sequences as U+FFFD), then escaped.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int maxChars = 200) =>
        Escape(Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, maxChars * 4)]), maxChars);

    private static bool NeedsEscaping(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or '\x7f' or '\\' || IsOtherControl(c)) return true;
        }
        return false;
    }

    // C1 controls, line/paragraph separators, and the bidi embeddings/overrides/isolates that can reorder what a terminal shows.
    private static bool IsOtherControl(char c) =>
        c is >= '\x80' and <= '\x9f' or '\u2028' or '\u2029' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
