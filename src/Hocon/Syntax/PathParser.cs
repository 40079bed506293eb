using System.Text;

namespace Ingrain.Hocon.Syntax;

/// <summary>Path expressions (<c>a.b."c.d"</c>) from text or from key/substitution tokens.</summary>
internal static class PathParser
{
    public static HoconPath Parse(string expression, HoconOrigin origin)
    {
        if (IsSimple(expression)) return new HoconPath(expression.Split('.'));
        var tokens = Tokenizer.Tokenize(expression, origin.Description, json: false);
        tokens.RemoveAt(tokens.Count - 1);
        return FromTokens(tokens, origin);
    }

    /// <summary>Fast path: dotted names of letters, digits, '-' and '_' split exactly as the tokenizer would.</summary>
    private static bool IsSimple(string s)
    {
        if (s.Length == 0 || s[0] == '.' || s[^1] == '.' || s.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) return false;
        }
        return true;
    }

    public static HoconPath FromTokens(IReadOnlyList<Token> tokens, HoconOrigin origin)
    {
        var start = 0;
        var end = tokens.Count;
        while (start < end && tokens[start].Kind == TokenKind.Whitespace) start++;
        while (end > start && tokens[end - 1].Kind == TokenKind.Whitespace) end--;
        if (start == end) throw new HoconException("expecting a path, but the path expression is empty", origin);

        var elements = new List<StringBuilder> { new() };
        var canBeEmpty = new List<bool> { false };
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.QuotedString:
                    elements[^1].Append(token.Text);
                    if (elements[^1].Length == 0) canBeEmpty[^1] = true;
                    break;
                case TokenKind.UnquotedText or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.Whitespace:
                    AddUnquoted(elements, canBeEmpty, token.Text);
                    break;
                default:
                    throw new HoconException(
                        $"token {token} is not allowed in a path expression (double-quote it if you want it in a key)", token.Origin);
            }
        }
        var keys = new string[elements.Count];
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i].Length == 0 && !canBeEmpty[i])
                throw new HoconException(
                    "path has a leading, trailing or doubled period '.'; use a quoted \"\" for an empty element", origin);
            keys[i] = elements[i].ToString();
        }
        return new HoconPath(keys);
    }

    private static void AddUnquoted(List<StringBuilder> elements, List<bool> canBeEmpty, string text)
    {
        var parts = text.Split('.');
        elements[^1].Append(parts[0]);
        for (var i = 1; i < parts.Length; i++)
        {
            elements.Add(new StringBuilder(parts[i]));
            canBeEmpty.Add(false);
        }
    }
}
