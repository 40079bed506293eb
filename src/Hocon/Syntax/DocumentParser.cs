using System.Runtime.CompilerServices;
using Ingrain.Hocon.Resolution;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

/// <summary>
/// Builds the unresolved value tree of one HOCON or JSON document, following the reference parser's grammar
/// decisions. Fields are merged as they are read; self-referential substitutions are bound to the field's previous
/// value here, so that the resolver only ever looks forward.
/// </summary>
internal sealed class DocumentParser
{
    private readonly List<Token> _tokens;
    private readonly Stack<Token> _pushedBack = new();
    private readonly SourceContext _source;
    private readonly bool _json;
    private readonly List<Frame> _frames = [];
    private int _index;
    private int _depth;
    private int _arrayCount;

    private sealed record Frame(HoconObject Object, HoconPath? Path);

    private DocumentParser(List<Token> tokens, SourceContext source, bool json)
    {
        _tokens = tokens;
        _source = source;
        _json = json;
    }

    /// <summary>Parses a whole document; the root is an object or (value-level parse only) a list.</summary>
    public static HoconValue Parse(string text, SourceContext source, bool json)
    {
        var tokens = Tokenizer.Tokenize(text, source.Description, json);
        return new DocumentParser(tokens, source, json).ParseRoot();
    }

    private Token Next()
    {
        if (_pushedBack.Count > 0) return _pushedBack.Pop();
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1) _index++;
        return token;
    }

    private void PutBack(Token token) => _pushedBack.Push(token);

    /// <summary>Next token that is not whitespace, a newline or a comment.</summary>
    private Token NextSignificant()
    {
        while (true)
        {
            var token = Next();
            if (token.Kind is not (TokenKind.Whitespace or TokenKind.Newline or TokenKind.Comment)) return token;
        }
    }

    private static HoconException Error(Token at, string message) => new(message, at.Origin);

    private HoconValue ParseRoot()
    {
        var token = NextSignificant();
        HoconValue root;
        if (token.Kind is TokenKind.OpenCurly or TokenKind.OpenSquare)
        {
            root = ParseValue(token, HoconPath.Empty);
        }
        else if (_json)
        {
            throw Error(token, token.Kind == TokenKind.End
                ? "empty document; a JSON document needs an object or array at the root"
                : $"a JSON document must have an object or array at the root, not {token}");
        }
        else
        {
            PutBack(token);
            root = ParseObject(hadOpenCurly: false, HoconPath.Empty, token.Origin);
        }
        token = NextSignificant();
        if (token.Kind != TokenKind.End) throw Error(token, $"document has trailing tokens after the root object or array: {token}");
        return root;
    }

    private void Enter(Token at)
    {
        _depth++;
        if (_depth > _source.Options.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(at, $"objects and arrays are nested more than {_source.Options.MaxDepth} deep");
    }

    private HoconValue ParseValue(Token token, HoconPath? path)
    {
        switch (token.Kind)
        {
            case TokenKind.OpenCurly:
                return ParseObject(hadOpenCurly: true, path, token.Origin);
            case TokenKind.OpenSquare:
                return ParseList(token);
            case TokenKind.QuotedString:
                return new HoconString(token.Origin, token.Text, wasQuoted: true);
            case TokenKind.UnquotedText:
                return new HoconString(token.Origin, token.Text, wasQuoted: false);
            case TokenKind.Number:
                return token.Number!;
            case TokenKind.True:
                return new HoconBoolean(token.Origin, true);
            case TokenKind.False:
                return new HoconBoolean(token.Origin, false);
            case TokenKind.Null:
                return new HoconNull(token.Origin);
            case TokenKind.Substitution:
                var target = PathParser.FromTokens(token.Expression!, token.Origin);
                var substitution = new SubstitutionNode(token.Origin, target, token.Optional, 0);
                return _source.SubstitutionPrefix.Count == 0 ? substitution : substitution.WithPrefix(_source.SubstitutionPrefix);
            default:
                throw Error(token, $"expecting a value but got {token}");
        }
    }

    private HoconObject ParseObject(bool hadOpenCurly, HoconPath? path, HoconOrigin origin)
    {
        var openToken = new Token(TokenKind.OpenCurly, "{", origin);
        Enter(openToken);
        var obj = new HoconObject(origin);
        _frames.Add(new Frame(obj, path));
        var afterComma = false;
        while (true)
        {
            var token = NextSignificant();
            if (token.Kind == TokenKind.CloseCurly)
            {
                if (_json && afterComma) throw Error(token, "expecting another field after a comma, got a close brace } instead");
                if (!hadOpenCurly) throw Error(token, "unbalanced close brace '}' with no open brace");
                break;
            }
            if (token.Kind == TokenKind.End && !hadOpenCurly) break;

            if (!_json && token.Kind == TokenKind.UnquotedText && token.Text == "include")
            {
                ParseInclude(obj, path, token);
            }
            else
            {
                ParseField(obj, path, token);
            }

            afterComma = false;
            if (CheckElementSeparator())
            {
                afterComma = true;
                continue;
            }
            token = NextSignificant();
            if (token.Kind == TokenKind.CloseCurly)
            {
                if (!hadOpenCurly) throw Error(token, "unbalanced close brace '}' with no open brace");
                break;
            }
            if (hadOpenCurly) throw Error(token, $"expecting a close brace '}}' or a comma, got {token} (quote it if it is part of a string)");
            if (token.Kind == TokenKind.End) break;
            throw Error(token, $"expecting end of input or a comma, got {token} (quote it if it is part of a string)");
        }
        _frames.RemoveAt(_frames.Count - 1);
        _depth--;
        return obj;
    }

    private void ParseField(HoconObject obj, HoconPath? objectPath, Token keyToken)
    {
        var key = ParseKey(keyToken);
        var fieldPath = objectPath?.Concat(key);
        var afterKey = NextSignificant();
        HoconValue value;
        if (!_json && afterKey.Kind == TokenKind.OpenCurly)
        {
            // The separator may be left out before an object value.
            value = ParseValue(afterKey, fieldPath);
        }
        else
        {
            var separatorOk = afterKey.Kind == TokenKind.Colon
                || (!_json && afterKey.Kind is TokenKind.Equals or TokenKind.PlusEquals);
            if (!separatorOk)
                throw Error(afterKey, $"key '{HoconException.Clip(key.ToString())}' may not be followed by {afterKey}; expecting ':', '=' or '{{' (quote the text if it is part of a string)");
            if (afterKey.Kind == TokenKind.PlusEquals)
            {
                if (_arrayCount > 0)
                    throw Error(afterKey, "+= does not work nested inside a list or inside another += value; move it out and refer to it with ${}");
                _arrayCount++;
                var element = ParseFieldValue(fieldPath);
                _arrayCount--;
                value = PlusEquals(afterKey, key, objectPath, element);
            }
            else
            {
                value = ParseFieldValue(fieldPath);
            }
        }
        AddField(obj, objectPath, key, value);
    }

    /// <summary><c>a += x</c> is <c>a = ${?a} [x]</c>.</summary>
    private HoconValue PlusEquals(Token at, HoconPath key, HoconPath? objectPath, HoconValue element)
    {
        var fullPath = (objectPath ?? HoconPath.Empty).Concat(key);
        var self = new SubstitutionNode(at.Origin, fullPath, optional: true, 0);
        HoconValue selfRef = _source.SubstitutionPrefix.Count == 0 ? self : self.WithPrefix(_source.SubstitutionPrefix);
        var list = new HoconList(element.Origin, [element]);
        return new ConcatenationNode(at.Origin, [selfRef, list]);
    }

    private HoconPath ParseKey(Token token)
    {
        if (_json)
        {
            if (token.Kind != TokenKind.QuotedString)
                throw Error(token, $"expecting a close brace '}}' or a quoted field name here, got {token}");
            return new HoconPath([token.Text]);
        }
        var expression = new List<Token>();
        while (token.IsSimpleValue && token.Kind != TokenKind.Substitution || token.Kind == TokenKind.Whitespace)
        {
            expression.Add(token);
            token = Next();
        }
        PutBack(token);
        if (expression.Count == 0 || expression.All(t => t.Kind == TokenKind.Whitespace))
            throw Error(token, $"expecting a close brace '}}' or a field name here, got {token}");
        return PathParser.FromTokens(expression, expression[0].Origin);
    }

    /// <summary>A field value or list element: one value or a concatenation of values on the same line.</summary>
    private HoconValue ParseFieldValue(HoconPath? path)
    {
        var first = NextSignificant();
        if (_json) return ParseValue(first, path);
        if (!first.StartsValue) throw Error(first, $"expecting a value but got {first}");
        return ParseConcatenation(first, path);
    }

    private HoconValue ParseConcatenation(Token first, HoconPath? path)
    {
        var pieces = new List<HoconValue>();
        Token? pendingWhitespace = null;
        var previousWasSimple = false;
        var token = first;
        while (true)
        {
            if (token.Kind == TokenKind.Whitespace)
            {
                pendingWhitespace = token;
            }
            else if (token.StartsValue)
            {
                // Whitespace counts only between two simple values (the reference tokenizer's rule).
                if (pendingWhitespace is not null && previousWasSimple && token.IsSimpleValue)
                    pieces.Add(new HoconString(pendingWhitespace.Origin, pendingWhitespace.Text, wasQuoted: false));
                pendingWhitespace = null;
                pieces.Add(ParseValue(token, path));
                previousWasSimple = token.IsSimpleValue;
            }
            else
            {
                break;
            }
            token = Next();
        }
        PutBack(token);
        return Concatenation.Create(pieces, first.Origin);
    }

    private HoconList ParseList(Token open)
    {
        Enter(open);
        _arrayCount++;
        var items = new List<HoconValue>();
        var token = NextSignificant();
        if (token.Kind != TokenKind.CloseSquare)
        {
            if (!token.StartsValue)
                throw Error(token, $"a list should have ']' or a first element after the '[', not {token} (quote it if it is part of a string)");
            items.Add(ParseElement(token));
            while (true)
            {
                if (CheckElementSeparator())
                {
                    token = NextSignificant();
                    if (token.StartsValue)
                    {
                        items.Add(ParseElement(token));
                        continue;
                    }
                    if (!_json && token.Kind == TokenKind.CloseSquare) break;
                    throw Error(token, $"a list should have a new element after a comma, not {token}");
                }
                token = NextSignificant();
                if (token.Kind == TokenKind.CloseSquare) break;
                throw Error(token, $"a list should end with ']' or have a comma, not {token} (quote it if it is part of a string)");
            }
        }
        _arrayCount--;
        _depth--;
        return new HoconList(open.Origin, items);
    }

    private HoconValue ParseElement(Token first) => _json ? ParseValue(first, null) : ParseConcatenation(first, null);

    /// <summary>After a field or element: true if a comma or newline separates it from the next one.</summary>
    private bool CheckElementSeparator()
    {
        if (_json)
        {
            var next = NextSignificant();
            if (next.Kind == TokenKind.Comma) return true;
            PutBack(next);
            return false;
        }
        var sawNewline = false;
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Whitespace or TokenKind.Comment:
                    continue;
                case TokenKind.Newline:
                    sawNewline = true;
                    continue;
                case TokenKind.Comma:
                    return true;
                default:
                    PutBack(token);
                    return sawNewline;
            }
        }
    }

    private void AddField(HoconObject obj, HoconPath? objectPath, HoconPath key, HoconValue value)
    {
        if (_source.SubstitutionPrefix.Count + _depth + key.Count > _source.Options.MaxDepth)
            throw new HoconException($"objects are nested more than {_source.Options.MaxDepth} deep (counting path keys and includes)", value.Origin, key.ToString());
        if (objectPath is not null) value = SelfReferences.Bind(value, objectPath.Concat(key), LookupPrevious);
        for (var i = key.Count - 1; i >= 1; i--)
        {
            var wrapper = new HoconObject(value.Origin);
            wrapper.Set(key[i], value);
            value = wrapper;
        }
        SetField(obj, key[0], value);
    }

    private static void SetField(HoconObject obj, string key, HoconValue value) =>
        obj.Set(key, obj.TryGetValue(key, out var existing) ? Merger.Merge(value, existing) : value);

    /// <summary>The value a path had before the field being parsed, across all objects still open.</summary>
    private HoconValue? LookupPrevious(HoconPath path)
    {
        var result = _source.OuterPrevious?.Invoke(path);
        foreach (var frame in _frames)
        {
            if (frame.Path is null || !path.StartsWith(frame.Path)) continue;
            var found = SelfReferences.Navigate(frame.Object, path.Skip(frame.Path.Count));
            if (found is not null) result = result is null ? found : Merger.Merge(found, result);
        }
        return result;
    }

    private void ParseInclude(HoconObject obj, HoconPath? objectPath, Token includeToken)
    {
        var token = NextSignificant();
        IncludeRequest request;
        if (token.Kind == TokenKind.UnquotedText && token.Text.StartsWith("required(", StringComparison.Ordinal))
        {
            PutBackRest(token, "required(".Length);
            request = ParseIncludeResource(required: true);
            token = NextSignificant();
            if (!(token.Kind == TokenKind.UnquotedText && token.Text == ")"))
                throw Error(token, $"expecting a close parenthesis ')' after required(...), not {token}");
        }
        else
        {
            PutBack(token);
            request = ParseIncludeResource(required: false);
        }

        var prefix = _source.SubstitutionPrefix.Concat(objectPath ?? HoconPath.Empty);
        Func<HoconPath, HoconValue?>? outerPrevious = objectPath is null ? null : p => LookupPrevious(objectPath.Concat(p));
        var included = _source.Includer.Include(request, _source, prefix, outerPrevious, includeToken.Origin);
        if (included is null) return;
        if (_arrayCount > 0 && !ResolvedCheck.IsResolved(included))
            throw Error(includeToken, "an include inside a list cannot use a file with ${} substitutions; move the include out of the list");
        foreach (var (key, value) in included.Fields) SetField(obj, key, value);
    }

    private void PutBackRest(Token token, int consumed)
    {
        var rest = token.Text[consumed..];
        if (rest.Length > 0) PutBack(new Token(TokenKind.UnquotedText, rest, token.Origin));
    }

    private IncludeRequest ParseIncludeResource(bool required)
    {
        var token = NextSignificant();
        if (token.Kind == TokenKind.QuotedString) return new IncludeRequest(IncludeKind.Heuristic, token.Text, required);
        if (token.Kind != TokenKind.UnquotedText)
            throw Error(token, $"include must be followed by a quoted file name, file(), classpath() or url(), not {token}");
        IncludeKind kind;
        if (token.Text.StartsWith("url(", StringComparison.Ordinal)) kind = IncludeKind.Url;
        else if (token.Text.StartsWith("file(", StringComparison.Ordinal)) kind = IncludeKind.File;
        else if (token.Text.StartsWith("classpath(", StringComparison.Ordinal)) kind = IncludeKind.Classpath;
        else
            throw Error(token, $"include must be followed by a quoted file name, file(), classpath() or url() (no space before '('), not {token}");
        PutBackRest(token, token.Text.IndexOf('(') + 1);
        var name = NextSignificant();
        if (name.Kind != TokenKind.QuotedString)
            throw Error(name, $"the argument of include {kind.ToString().ToLowerInvariant()}(...) must be one quoted string, not {name}");
        var close = NextSignificant();
        if (!(close.Kind == TokenKind.UnquotedText && close.Text.StartsWith(')')))
            throw Error(close, $"expecting a close parenthesis ')' here, not {close}");
        PutBackRest(close, 1);
        return new IncludeRequest(kind, name.Text, required);
    }
}
