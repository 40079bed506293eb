using System.Collections;

namespace Ingrain.Model;

/// <summary>
/// Ordered tags of a measurement, as ingraind had them: order is kept, a key may repeat, and
/// <see cref="Get"/> returns the first match. Immutable; "changing" methods return a new instance.
/// Equality is by value (same pairs in the same order).
/// </summary>
public sealed class Tags : IReadOnlyList<KeyValuePair<string, string>>, IEquatable<Tags>
{
    public static readonly Tags Empty = new([]);

    private readonly KeyValuePair<string, string>[] _pairs;

    private Tags(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    /// <summary>Takes ownership of <paramref name="pairs"/>: the caller must not change the array afterwards.</summary>
    public static Tags FromArray(KeyValuePair<string, string>[] pairs) => pairs.Length == 0 ? Empty : new(pairs);

    public static Tags From(IEnumerable<KeyValuePair<string, string>> pairs) => FromArray(pairs.ToArray());

    public static Tags Of(params (string Key, string Value)[] pairs) =>
        FromArray(Array.ConvertAll(pairs, p => new KeyValuePair<string, string>(p.Key, p.Value)));

    public int Count => _pairs.Length;

    public KeyValuePair<string, string> this[int index] => _pairs[index];

    /// <summary>The value of the first tag named <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        foreach (var p in _pairs)
        {
            if (p.Key == key) return p.Value;
        }
        return null;
    }

    public bool ContainsKey(string key) => Get(key) is not null;

    /// <summary>A copy with one more tag at the end.</summary>
    public Tags Add(string key, string value)
    {
        var copy = new KeyValuePair<string, string>[_pairs.Length + 1];
        _pairs.CopyTo(copy, 0);
        copy[^1] = new(key, value);
        return new Tags(copy);
    }

    /// <summary>A copy that keeps only the tags <paramref name="keep"/> accepts (this instance when all are kept).</summary>
    public Tags Where(Func<KeyValuePair<string, string>, bool> keep)
    {
        var kept = Array.FindAll(_pairs, p => keep(p));
        return kept.Length == _pairs.Length ? this : FromArray(kept);
    }

    /// <summary>A copy with every value passed through <paramref name="map"/> (this instance when nothing changed).</summary>
    public Tags Select(Func<string, string, string> map)
    {
        KeyValuePair<string, string>[]? copy = null;
        for (var i = 0; i < _pairs.Length; i++)
        {
            var v = map(_pairs[i].Key, _pairs[i].Value);
            if (!ReferenceEquals(v, _pairs[i].Value) && v != _pairs[i].Value)
            {
                copy ??= (KeyValuePair<string, string>[])_pairs.Clone();
                copy[i] = new(_pairs[i].Key, v);
            }
        }
        return copy is null ? this : new Tags(copy);
    }

    public ReadOnlySpan<KeyValuePair<string, string>> AsSpan() => _pairs;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Tags? other) =>
        other is not null && (ReferenceEquals(this, other) || _pairs.AsSpan().SequenceEqual(other._pairs));

    public override bool Equals(object? obj) => Equals(obj as Tags);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var p in _pairs)
        {
            h.Add(p.Key);
            h.Add(p.Value);
        }
        return h.ToHashCode();
    }

    public override string ToString() => string.Join(",", _pairs.Select(p => $"{p.Key}={p.Value}"));
}
