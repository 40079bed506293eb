using Ingrain.Hocon.Syntax;

namespace Ingrain.Hocon;

/// <summary>A path of keys (<c>a.b."c.d"</c> is a, b, c.d).</summary>
public sealed class HoconPath : IEquatable<HoconPath>
{
    private readonly string[] _keys;

    public HoconPath(IEnumerable<string> keys) => _keys = keys.ToArray();

    private HoconPath(string[] keys, bool _) => _keys = keys;

    public static readonly HoconPath Empty = new([], false);

    public int Count => _keys.Length;

    public string this[int index] => _keys[index];

    public IReadOnlyList<string> Keys => _keys;

    /// <summary>Parses a path expression with HOCON rules (quoted elements, number text, trimmed whitespace).</summary>
    public static HoconPath Parse(string expression) => PathParser.Parse(expression, new HoconOrigin("path expression", 1, 1));

    public HoconPath Skip(int count) => new(_keys[count..], false);

    public HoconPath Concat(HoconPath other) => new([.. _keys, .. other._keys], false);

    public bool StartsWith(HoconPath prefix)
    {
        if (prefix.Count > Count) return false;
        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(_keys[i], prefix._keys[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>Path expression text that parses back to this path.</summary>
    public override string ToString() => string.Join('.', _keys.Select(RenderKey));

    internal static string RenderKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_') && !char.IsAsciiDigit(key[0]) && key[0] != '-'
            && key is not ("true" or "false" or "null" or "include")
            ? key
            : Quoting.Quote(key);

    public bool Equals(HoconPath? other) => other is not null && _keys.AsSpan().SequenceEqual(other._keys);

    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var key in _keys) hash.Add(key, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
