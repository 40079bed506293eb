using System.Globalization;

namespace Ingrain.Hocon.Syntax;

/// <summary>Character classes of the HOCON grammar.</summary>
internal static class CharClass
{
    /// <summary>Characters that may not appear in unquoted text.</summary>
    public const string NotInUnquotedText = "$\"{}[]:=,+#`^?!@*&\\";

    /// <summary>Unicode space/line/paragraph separators, BOM, and the ASCII control whitespace (as the reference).</summary>
    public static bool IsWhitespace(char c)
    {
        switch (c)
        {
            case ' ' or '\n' or '\t' or '\v' or '\f' or '\r' or '\u00A0' or '\u2007' or '\u202F' or '\uFEFF':
                return true;
            case >= '\u001C' and <= '\u001F':
                return true;
        }
        if (c < 0x80) return false;
        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    public static bool IsWhitespaceNotNewline(char c) => c != '\n' && IsWhitespace(c);

    public static string TrimWhitespace(string s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsWhitespace(s[start])) start++;
        while (end > start && IsWhitespace(s[end - 1])) end--;
        return s[start..end];
    }
}
