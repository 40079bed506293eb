namespace Ingrain.Hocon.Values;

/// <summary>An object value: keys in definition order, each with its value.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly OrderedDictionary<string, HoconValue> _fields;

    internal HoconObject(HoconOrigin origin) : this(origin, new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal))
    {
    }

    internal HoconObject(HoconOrigin origin, OrderedDictionary<string, HoconValue> fields) : base(origin) => _fields = fields;

    /// <summary>An object with no keys, located at <paramref name="origin"/>.</summary>
    public static HoconObject Empty(HoconOrigin origin) => new(origin);

    public IReadOnlyDictionary<string, HoconValue> Fields => _fields;

    public IEnumerable<string> Keys => _fields.Keys;

    public int Count => _fields.Count;

    public HoconValue this[string key] => _fields[key];

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, out HoconValue value) => _fields.TryGetValue(key, out value!);

    public override HoconValueType Type => HoconValueType.Object;

    internal override string? ConcatText => null;

    /// <summary>Only while a document is being built.</summary>
    internal void Set(string key, HoconValue value) => _fields[key] = value;

    /// <summary>An object with non-negative integer keys can stand in for a list: values sorted by key, other keys ignored
    /// (spec: numerically-indexed objects).</summary>
    internal HoconList? AsNumericList()
    {
        if (_fields.Count == 0) return null;
        var indexed = new List<(long Index, HoconValue Value)>();
        foreach (var (key, value) in _fields)
        {
            if (key.Length > 0 && key.All(char.IsAsciiDigit) && long.TryParse(key, out var index)) indexed.Add((index, value));
        }
        if (indexed.Count == 0) return null;
        indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new HoconList(Origin, indexed.Select(e => e.Value).ToList());
    }
}
