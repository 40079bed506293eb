using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

internal enum TokenKind
{
    End,
    Newline,
    Whitespace,
    Comment,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenCurly,
    CloseCurly,
    OpenSquare,
    CloseSquare,
    QuotedString,
    UnquotedText,
    Number,
    True,
    False,
    Null,
    Substitution,
}

/// <summary>One lexical token. <see cref="Text"/> is the source text for values (the decoded string for quoted strings).</summary>
internal sealed class Token(TokenKind kind, string text, HoconOrigin origin)
{
    public TokenKind Kind { get; } = kind;

    public string Text { get; } = text;

    public HoconOrigin Origin { get; } = origin;

    /// <summary>For numbers: the parsed value (long or double).</summary>
    public HoconNumber? Number { get; init; }

    /// <summary>For substitutions: <c>${?</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>For substitutions: the tokens between <c>${</c> and <c>}</c>.</summary>
    public IReadOnlyList<Token>? Expression { get; init; }

    /// <summary>Tokens that are (or start) a value: strings, numbers, literals, substitutions.</summary>
    public bool IsSimpleValue => Kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.Substitution;

    public bool StartsValue => IsSimpleValue || Kind is TokenKind.OpenCurly or TokenKind.OpenSquare;

    public override string ToString() => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.Newline => "newline",
        TokenKind.QuotedString => Quoting.Quote(HoconException.Clip(Text)),
        TokenKind.Substitution => "substitution",
        _ => $"'{HoconException.Clip(Text)}'",
    };
}
