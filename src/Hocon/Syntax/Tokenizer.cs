using System.Globalization;
using System.Text;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

/// <summary>Turns HOCON or JSON text into tokens, following the reference tokenizer's decisions (numbers that do
/// not parse become unquoted text, <c>true</c>/<c>false</c>/<c>null</c> are recognised at the start of unquoted text).</summary>
internal sealed class Tokenizer
{
    private const string NumberChars = "0123456789eE+-.";
    private readonly string _text;
    private readonly string _description;
    private readonly bool _json;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private Tokenizer(string text, string description, bool json, int line)
    {
        _text = text;
        _description = description;
        _json = json;
        _line = line;
    }

    public static List<Token> Tokenize(string text, string description, bool json)
    {
        var tokenizer = new Tokenizer(text, description, json, 1);
        var tokens = new List<Token>();
        while (true)
        {
            var token = tokenizer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End) return tokens;
        }
    }

    private HoconOrigin Here() => new(_description, _line, _pos - _lineStart + 1);

    private HoconException Problem(string message, HoconOrigin? origin = null) => new(message, origin ?? Here());

    private int Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : -1;

    private Token Next()
    {
        var origin = Here();
        if (_pos >= _text.Length) return new Token(TokenKind.End, "", origin);
        var c = _text[_pos];
        if (c == '\n')
        {
            _pos++;
            _line++;
            _lineStart = _pos;
            return new Token(TokenKind.Newline, "\n", origin);
        }
        if (CharClass.IsWhitespace(c))
        {
            var start = _pos;
            while (_pos < _text.Length && CharClass.IsWhitespaceNotNewline(_text[_pos])) _pos++;
            return new Token(TokenKind.Whitespace, _text[start.._pos], origin);
        }
        if (c == '#' || (c == '/' && Peek(1) == '/'))
        {
            if (_json) throw Problem("comments are not allowed in JSON; use a .conf file for HOCON syntax");
            var start = _pos;
            while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
            return new Token(TokenKind.Comment, _text[start.._pos], origin);
        }
        switch (c)
        {
            case '"': _pos++; return QuotedString(origin);
            case '$': _pos++; return Substitution(origin);
            case ',': _pos++; return new Token(TokenKind.Comma, ",", origin);
            case ':': _pos++; return new Token(TokenKind.Colon, ":", origin);
            case '=': _pos++; return new Token(TokenKind.Equals, "=", origin);
            case '{': _pos++; return new Token(TokenKind.OpenCurly, "{", origin);
            case '}': _pos++; return new Token(TokenKind.CloseCurly, "}", origin);
            case '[': _pos++; return new Token(TokenKind.OpenSquare, "[", origin);
            case ']': _pos++; return new Token(TokenKind.CloseSquare, "]", origin);
            case '+':
                if (Peek(1) == '=')
                {
                    _pos += 2;
                    return new Token(TokenKind.PlusEquals, "+=", origin);
                }
                throw Problem("'+' is not allowed outside quotes (use += to append, or quote the text)");
        }
        if (char.IsAsciiDigit(c) || c == '-') return NumberToken(origin);
        if (NotInUnquoted(c)) throw Problem($"reserved character '{c}' is not allowed outside quotes; quote the text if you want it in a string");
        return UnquotedText(origin);
    }

    private static bool NotInUnquoted(char c) => CharClass.NotInUnquotedText.Contains(c);

    private Token UnquotedText(HoconOrigin origin)
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (NotInUnquoted(c) || CharClass.IsWhitespace(c) || c == '/' && Peek(1) == '/') break;
            _pos++;
            var length = _pos - start;
            // true/false/null at the start of unquoted text are literals, whatever follows them.
            if (length == 4 && string.CompareOrdinal(_text, start, "true", 0, 4) == 0) return Literal(TokenKind.True, "true", origin);
            if (length == 4 && string.CompareOrdinal(_text, start, "null", 0, 4) == 0) return Literal(TokenKind.Null, "null", origin);
            if (length == 5 && string.CompareOrdinal(_text, start, "false", 0, 5) == 0) return Literal(TokenKind.False, "false", origin);
        }
        var text = _text[start.._pos];
        if (_json) throw Problem($"unquoted text {Quoting.Quote(HoconException.Clip(text))} is not allowed in JSON; quote it", origin);
        return new Token(TokenKind.UnquotedText, text, origin);
    }

    private static Token Literal(TokenKind kind, string text, HoconOrigin origin) => new(kind, text, origin);

    private Token NumberToken(HoconOrigin origin)
    {
        var start = _pos;
        _pos++;
        var decimalOrExponent = false;
        while (_pos < _text.Length && NumberChars.Contains(_text[_pos]))
        {
            if (_text[_pos] is '.' or 'e' or 'E') decimalOrExponent = true;
            _pos++;
        }
        var text = _text[start.._pos];
        if (decimalOrExponent)
        {
            if (IsJavaDouble(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                return new Token(TokenKind.Number, text, origin) { Number = new HoconNumber(origin, text, d) };
        }
        else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return new Token(TokenKind.Number, text, origin) { Number = new HoconNumber(origin, text, l) };
        }
        // Not a number after all: unquoted text, unless it holds a reserved character.
        foreach (var ch in text)
        {
            if (NotInUnquoted(ch)) throw Problem($"reserved character '{ch}' is not allowed outside quotes", origin);
        }
        if (_json) throw Problem($"invalid number {Quoting.Quote(HoconException.Clip(text))} in JSON", origin);
        return new Token(TokenKind.UnquotedText, text, origin);
    }

    /// <summary>Java's Double.parseDouble grammar restricted to the number characters: sign, digits with an optional
    /// fraction (at least one digit overall), optional exponent with digits.</summary>
    private static bool IsJavaDouble(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-') i++;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var expDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; expDigits++; }
            if (expDigits == 0) return false;
        }
        return i == s.Length;
    }

    private Token QuotedString(HoconOrigin origin)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Problem($"end of input but the string that started at line {origin.Line} column {origin.Column} was still open");
            var c = _text[_pos++];
            if (c == '\\') Escape(sb);
            else if (c == '"') break;
            else if (c < 0x20) throw Problem($"JSON does not allow unescaped control character U+{(int)c:X4} in quoted strings; use a backslash escape");
            else sb.Append(c);
        }
        if (sb.Length == 0 && Peek() == '"')
        {
            if (_json) throw Problem("triple-quoted strings are not allowed in JSON", origin);
            _pos++;
            return TripleQuoted(origin);
        }
        return new Token(TokenKind.QuotedString, sb.ToString(), origin);
    }

    private void Escape(StringBuilder sb)
    {
        if (_pos >= _text.Length) throw Problem("end of input after a backslash in a quoted string");
        var c = _text[_pos++];
        switch (c)
        {
            case '"': sb.Append('"'); break;
            case '\\': sb.Append('\\'); break;
            case '/': sb.Append('/'); break;
            case 'b': sb.Append('\b'); break;
            case 'f': sb.Append('\f'); break;
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 't': sb.Append('\t'); break;
            case 'u':
                if (_pos + 4 > _text.Length || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    throw Problem("a \\u escape needs exactly four hex digits");
                _pos += 4;
                sb.Append((char)code);
                break;
            default:
                throw Problem($"backslash followed by '{c}' is not a valid escape; use \\\\ for a backslash");
        }
    }

    private Token TripleQuoted(HoconOrigin origin)
    {
        var start = _pos;
        var quotes = 0;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                if (quotes >= 3) break;
                throw Problem($"end of input but the triple-quoted string that started at line {origin.Line} column {origin.Column} was still open");
            }
            var c = _text[_pos];
            if (c == '"') quotes++;
            else if (quotes >= 3) break;
            else
            {
                quotes = 0;
                if (c == '\n')
                {
                    _line++;
                    _lineStart = _pos + 1;
                }
            }
            _pos++;
        }
        // The last three quotes close the string; earlier ones belong to it.
        return new Token(TokenKind.QuotedString, _text[start..(_pos - 3)], origin);
    }

    private Token Substitution(HoconOrigin origin)
    {
        if (_json) throw Problem("substitutions are not allowed in JSON", origin);
        if (Peek() != '{') throw Problem($"'$' must be followed by '{{' to start a substitution; quote a literal '$'", origin);
        _pos++;
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            _pos++;
        }
        var expression = new List<Token>();
        while (true)
        {
            var token = Next();
            if (token.Kind == TokenKind.CloseCurly) break;
            if (token.Kind == TokenKind.End) throw Problem("substitution ${ was not closed with a }", origin);
            expression.Add(token);
        }
        return new Token(TokenKind.Substitution, "${", origin) { Optional = optional, Expression = expression };
    }
}
