using System.Globalization;
using System.Text.RegularExpressions;
using Ingrain.Hocon;
using Ingrain.Hocon.Values;
using Ingrain.Hocon.Units;

namespace Ingrain.Topology.Configuration;

/// <summary>
/// Typed, error-collecting reads of one component's HOCON object. A key missing from the user's object is taken
/// from <c>defaults</c> (the component type's entry in <c>reference.hocon</c>). Reads never throw: a wrong value adds
/// a <see cref="ConfigError"/> (with the value's file:line:col and this component's path) and returns a fallback, so
/// the compiler can go on and report everything at once. <see cref="ReportUnknownKeys"/> then flags every user key
/// no read asked for, with a "did you mean".
/// </summary>
public sealed class ConfigSection
{
    private readonly HoconObject _user;
    private readonly HoconObject? _defaults;
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    // What each typed read resolved a key to, for the canonical form: normalised scalar text (a duration in ticks,
    // a size in bytes, the fallback when the key is absent), or the nested section(s) read from it.
    private readonly Dictionary<string, object> _resolved = new(StringComparer.Ordinal);

    public ConfigSection(HoconObject user, HoconObject? defaults, string path, List<ConfigError> errors)
    {
        _user = user;
        _defaults = defaults;
        Path = path;
        _errors = errors;
    }

    /// <summary>This component's path, e.g. <c>ingrain.pipelines.console.steps[1]</c>.</summary>
    public string Path { get; }

    public HoconOrigin Origin => _user.Origin;

    /// <summary>The errors of the whole compile this section belongs to.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    public HoconObject User => _user;

    public HoconObject? Defaults => _defaults;

    /// <summary>Every key a read asked for so far (present or not).</summary>
    public IReadOnlyCollection<string> ReadKeys => _read;

    /// <summary>Records an error about <paramref name="key"/> (located at its value) or about the whole section.</summary>
    public void Error(string? key, string message)
    {
        var origin = key is not null && Lookup(key) is { } v ? v.Origin : _user.Origin;
        _errors.Add(new ConfigError(origin.ToString(), Path, key is null ? message : $"{key}: {message}"));
    }

    /// <summary>Records an error located at <paramref name="value"/>.</summary>
    public void ErrorAt(HoconValue value, string message) => _errors.Add(new ConfigError(value.Origin.ToString(), Path, message));

    /// <summary>The raw value of <paramref name="key"/> (user's, else default), marking the key as known.</summary>
    public HoconValue? Value(string key)
    {
        _read.Add(key);
        return Lookup(key);
    }

    public bool Has(string key) => Value(key) is not null and not HoconNull;

    /// <summary>A string, or null when absent from both the user's object and reference.hocon (an error if <paramref name="required"/>).</summary>
    public string? String(string key, bool required = false)
    {
        switch (Value(key))
        {
            case null or HoconNull:
                if (required) Error(null, $"missing required key \"{key}\"");
                return null;
            case HoconString s:
                return s.Value;
            case HoconNumber n:
                return n.Text;
            case HoconBoolean b:
                return b.Value ? "true" : "false";
            case var other:
                Error(key, $"expected a string, got {Describe(other)}");
                return null;
        }
    }

    public IReadOnlyList<string> StringList(string key, bool required = false)
    {
        switch (Value(key))
        {
            case null or HoconNull:
                if (required) Error(null, $"missing required key \"{key}\"");
                return [];
            case HoconList list:
                var result = new List<string>(list.Count);
                foreach (var item in list.Items)
                {
                    if (AsScalarText(item) is { } text) result.Add(text);
                    else ErrorAt(item, $"{key}: expected a list of strings, got an element that is {Describe(item)}");
                }
                return result;
            case var other:
                Error(key, $"expected a list of strings, got {Describe(other)}");
                return [];
        }
    }

    public TimeSpan Duration(string key, TimeSpan? min = null)
    {
        var value = Value(key);
        if (IsMissing(key, value)) return default;
        TimeSpan fallback = default;
        TimeSpan? parsed = value switch
        {
            HoconNumber n => TimeSpan.FromMilliseconds(n.DoubleValue),
            HoconString s => ParseOrNull(() => TimeSpan.FromTicks(HoconUnits.ParseDurationNanos(s.Value) / 100)),
            _ => null,
        };
        if (parsed is null)
        {
            Error(key, $"expected a duration such as 10s or 500ms, got {Describe(value!)}");
            return fallback;
        }
        if (min is { } m && parsed < m)
        {
            Error(key, $"must be at least {m}, got {parsed}");
            return fallback;
        }
        return Resolved(key, parsed.Value, $"{parsed.Value.Ticks}ticks");
    }

    public long Bytes(string key, long min = 1)
    {
        var value = Value(key);
        if (IsMissing(key, value)) return 0;
        const long fallback = 0;
        long? parsed = value switch
        {
            HoconNumber n when n.IsInteger => n.LongValue,
            HoconString s => ParseOrNull(() => (long)HoconUnits.ParseBytes(s.Value)),
            _ => null,
        };
        if (parsed is null)
        {
            Error(key, $"expected a size such as 64MiB or 1000, got {Describe(value!)}");
            return fallback;
        }
        if (parsed < min)
        {
            Error(key, $"must be at least {min}, got {parsed}");
            return fallback;
        }
        return Resolved(key, parsed.Value, $"{parsed.Value}B");
    }

    public int Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Value(key);
        if (IsMissing(key, value)) return 0;
        const int fallback = 0;
        long? parsed = value switch
        {
            HoconNumber { IsInteger: true } n => n.LongValue,
            HoconString s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            _ => null,
        };
        if (parsed is null)
        {
            Error(key, $"expected an integer, got {Describe(value)}");
            return fallback;
        }
        if (parsed < min || parsed > max)
        {
            Error(key, max == int.MaxValue ? $"must be at least {min}, got {parsed}" : $"must be between {min} and {max}, got {parsed}");
            return fallback;
        }
        return Resolved(key, (int)parsed.Value, parsed.Value.ToString(CultureInfo.InvariantCulture));
    }

    public double Double(string key, double min = double.MinValue, double max = double.MaxValue)
    {
        var value = Value(key);
        if (IsMissing(key, value)) return 0;
        const double fallback = 0;
        double? parsed = value switch
        {
            HoconNumber n => n.DoubleValue,
            HoconString s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
        if (parsed is null)
        {
            Error(key, $"expected a number, got {Describe(value)}");
            return fallback;
        }
        if (parsed < min || parsed > max)
        {
            Error(key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {parsed.Value.ToString(CultureInfo.InvariantCulture)}");
            return fallback;
        }
        return Resolved(key, parsed.Value, parsed.Value.ToString("R", CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<double> DoubleList(string key, double min, double max)
    {
        var value = Value(key);
        IReadOnlyList<double> fallback = [];
        if (IsMissing(key, value)) return fallback;
        if (value is not HoconList list)
        {
            Error(key, $"expected a list of numbers, got {Describe(value)}");
            return fallback;
        }
        var result = new List<double>();
        foreach (var item in list.Items)
        {
            if (item is HoconNumber n && n.DoubleValue >= min && n.DoubleValue <= max) result.Add(n.DoubleValue);
            else ErrorAt(item, $"{key}: expected numbers between {min} and {max}, got {Describe(item)}");
        }
        return result;
    }

    public bool Bool(string key)
    {
        const bool fallback = false;
        var value = Value(key);
        if (IsMissing(key, value)) return fallback;
        switch (value)
        {
            case HoconBoolean b:
                return Resolved(key, b.Value, b.Value ? "true" : "false");
            case HoconString { Value: "true" or "yes" or "on" }:
                return Resolved(key, true, "true");
            case HoconString { Value: "false" or "no" or "off" }:
                return Resolved(key, false, "false");
            case var other:
                Error(key, $"expected true or false, got {Describe(other)}");
                return fallback;
        }
    }

    /// <summary>One of <paramref name="names"/> (their HOCON spellings), mapped to a value.</summary>
    public T Choice<T>(string key, IReadOnlyDictionary<string, T> names)
    {
        var text = String(key, required: true);
        if (text is null) return default!;
        if (names.TryGetValue(text, out var result)) return result;
        Error(key, $"\"{text}\" is not one of {string.Join(", ", names.Keys)}{DidYouMean.Hint(text, names.Keys)}");
        return default!;
    }

    /// <summary>
    /// True (with an error) when neither the user nor <c>reference.hocon</c> gives <paramref name="key"/> a value:
    /// reference.hocon holds every default, so a key it leaves out is required.
    /// </summary>
    private bool IsMissing(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] HoconValue? value)
    {
        if (value is not (null or HoconNull)) return false;
        Error(null, $"missing required key \"{key}\"");
        return true;
    }

    /// <summary>A compiled regex, or null (with an error) when it does not compile.</summary>
    public Regex? Regex(string key, bool required = false)
    {
        var text = String(key, required: required);
        return text is null ? null : CompileRegex(key, text);
    }

    public Regex? CompileRegex(string key, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            Error(key, $"bad regex \"{pattern}\": {e.Message}");
            return null;
        }
    }

    /// <summary>A nested object as a section of its own (defaults from the same key of this section's defaults).</summary>
    public ConfigSection? Object(string key)
    {
        _read.Add(key);
        var user = _user.TryGetValue(key, out var u) ? u : null;
        var defaults = _defaults is not null && _defaults.TryGetValue(key, out var d) ? d as HoconObject : null;
        switch (user)
        {
            case null or HoconNull:
                return defaults is null ? null : Resolved(key, new ConfigSection(defaults, null, $"{Path}.{key}", _errors));
            case HoconObject o:
                return Resolved(key, new ConfigSection(o, defaults, $"{Path}.{key}", _errors));
            default:
                Error(key, $"expected an object, got {Describe(user)}");
                return null;
        }
    }

    /// <summary>A list of objects, each a section <c>path.key[i]</c>, each with <paramref name="elementDefaults"/>.</summary>
    public IReadOnlyList<ConfigSection> ObjectList(string key, HoconObject? elementDefaults = null, bool required = false)
    {
        switch (Value(key))
        {
            case null or HoconNull:
                if (required) Error(null, $"missing required key \"{key}\"");
                return [];
            case HoconList list:
                var result = new List<ConfigSection>();
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is HoconObject o) result.Add(new ConfigSection(o, elementDefaults, $"{Path}.{key}[{i}]", _errors));
                    else ErrorAt(list[i], $"{key}[{i}]: expected an object, got {Describe(list[i])}");
                }
                _resolved[key] = result;
                return result;
            case var other:
                Error(key, $"expected a list of objects, got {Describe(other)}");
                return [];
        }
    }

    /// <summary>Adds an error for every user key that no read asked for.</summary>
    public void ReportUnknownKeys()
    {
        var known = _read.Concat(_defaults?.Keys ?? []).ToArray();
        foreach (var (key, value) in _user.Fields)
        {
            if (_read.Contains(key) || (_defaults?.ContainsKey(key) ?? false)) continue;
            ErrorAt(value, $"unknown key \"{key}\"{DidYouMean.Hint(key, known)}");
        }
    }

    /// <summary>
    /// This section's settings, defaults applied, as text that is equal exactly when the settings are: keys sorted,
    /// values as the typed reads understood them (<c>10s</c> = <c>10000ms</c>, <c>1MiB</c> = <c>1048576</c>, an absent
    /// key = its default spelled out), nested sections likewise.
    /// </summary>
    public string Canonical(params string[] excludedKeys) => CanonicalHocon.Render(this, excludedKeys);

    /// <summary>What the typed reads resolved each key to: normalised text or nested section(s).</summary>
    internal IReadOnlyDictionary<string, object> ResolvedValues => _resolved;

    /// <summary>
    /// Every key a read asked for (present or not), with the keys of nested sections as <c>outer.inner</c>: what
    /// the parser understands, so the documentation test can compare it with docs/configuration.md.
    /// </summary>
    public IReadOnlyList<string> KeysRead()
    {
        var keys = new SortedSet<string>(_read, StringComparer.Ordinal);
        foreach (var (key, resolved) in _resolved)
        {
            IEnumerable<ConfigSection> nested = resolved switch
            {
                ConfigSection one => [one],
                IEnumerable<ConfigSection> many => many,
                _ => [],
            };
            foreach (var section in nested)
                foreach (var inner in section.KeysRead()) keys.Add($"{key}.{inner}");
        }
        return keys.ToArray();
    }

    private T Resolved<T>(string key, T value, string canonical)
    {
        _resolved[key] = canonical;
        return value;
    }

    private ConfigSection Resolved(string key, ConfigSection section)
    {
        _resolved[key] = section;
        return section;
    }

    private HoconValue? Lookup(string key)
    {
        if (_user.TryGetValue(key, out var value)) return value;
        return _defaults is not null && _defaults.TryGetValue(key, out var d) ? d : null;
    }

    private static T? ParseOrNull<T>(Func<T> parse) where T : struct
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is HoconException or OverflowException)
        {
            return null;
        }
    }

    private static string? AsScalarText(HoconValue v) => v switch
    {
        HoconString s => s.Value,
        HoconNumber n => n.Text,
        HoconBoolean b => b.Value ? "true" : "false",
        _ => null,
    };

    internal static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconList => "a list",
        HoconString s => $"\"{s.Value}\"",
        HoconNumber n => n.Text,
        HoconBoolean b => b.Value ? "true" : "false",
        _ => "null",
    };
}
