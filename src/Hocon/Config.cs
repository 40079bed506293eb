using System.Globalization;
using System.Numerics;
using Ingrain.Hocon.Resolution;
using Ingrain.Hocon.Values;
using Ingrain.Hocon.Units;

namespace Ingrain.Hocon;

/// <summary>
/// A resolved configuration: typed getters by path expression (<c>a.b."c.d"</c>). A missing path or a value of the
/// wrong type throws a <see cref="HoconException"/> naming the path and the origin (file:line:col).
/// </summary>
public sealed class Config
{
    public static readonly Config Empty = new(new HoconObject(new HoconOrigin("empty config", 0, 0)));

    public Config(HoconObject root)
    {
        if (!ResolvedCheck.IsResolved(root)) throw new HoconException("a Config needs a resolved object", root.Origin);
        Root = root;
    }

    /// <summary>The root object: keys and child values.</summary>
    public HoconObject Root { get; }

    public IEnumerable<string> Keys => Root.Keys;

    public bool IsEmpty => Root.Count == 0;

    /// <summary>True when the path exists and is not null.</summary>
    public bool HasPath(string path) => Find(HoconPath.Parse(path), out _) is { Type: not HoconValueType.Null };

    /// <summary>True when the path exists, even if its value is null.</summary>
    public bool HasPathOrNull(string path) => Find(HoconPath.Parse(path), out _) is not null;

    /// <summary>The value at a path, or null when the path is absent.</summary>
    public HoconValue? TryGetValue(string path) => Find(HoconPath.Parse(path), out _);

    /// <summary>The value at a path (null values included); throws when absent.</summary>
    public HoconValue GetValue(string path)
    {
        var parsed = HoconPath.Parse(path);
        return Find(parsed, out var nearest)
            ?? throw new HoconException("no configuration setting found (missing path)", nearest.Origin, parsed.ToString());
    }

    public string GetString(string path)
    {
        var value = GetNonNull(path);
        return value switch
        {
            HoconString s => s.Value,
            HoconNumber or HoconBoolean => value.ConcatText!,
            _ => throw WrongType(path, value, "a string"),
        };
    }

    public bool GetBoolean(string path)
    {
        var value = GetNonNull(path);
        return value switch
        {
            HoconBoolean b => b.Value,
            HoconString { Value: "true" or "yes" or "on" } => true,
            HoconString { Value: "false" or "no" or "off" } => false,
            _ => throw WrongType(path, value, "a boolean (true/false/yes/no/on/off)"),
        };
    }

    public long GetLong(string path)
    {
        var value = GetNonNull(path);
        var number = AsNumber(path, value);
        if (number.IsInteger) return number.LongValue;
        if (Math.Floor(number.DoubleValue) == number.DoubleValue && number.DoubleValue is >= long.MinValue and < 9.2233720368547758e18)
            return (long)number.DoubleValue;
        throw WrongType(path, value, "a whole number (64-bit)");
    }

    public int GetInt(string path)
    {
        var value = GetNonNull(path);
        var result = GetLong(path);
        if (result is < int.MinValue or > int.MaxValue) throw WrongType(path, value, "a 32-bit whole number (out of range)");
        return (int)result;
    }

    public double GetDouble(string path) => AsNumber(path, GetNonNull(path)).DoubleValue;

    /// <summary>A duration: a number means milliseconds; strings take units ns, us, ms, s, m, h, d (and long forms).
    /// <see cref="TimeSpan"/> counts 100 ns ticks, so finer parts are dropped, and a non-zero duration shorter than a
    /// tick (<c>50ns</c>) is an error rather than a silent zero; use <see cref="GetDurationNanos"/> for such values.</summary>
    public TimeSpan GetDuration(string path)
    {
        var nanos = DurationNanos(path, out var value);
        if (nanos is > -TimeSpan.NanosecondsPerTick and < TimeSpan.NanosecondsPerTick and not 0)
        {
            throw new HoconException(
                $"duration of {nanos} ns is shorter than TimeSpan's resolution ({TimeSpan.NanosecondsPerTick} ns) and would read as zero; "
                + "read it with GetDurationNanos", value.Origin, path);
        }
        return TimeSpan.FromTicks(nanos / TimeSpan.NanosecondsPerTick);
    }

    /// <summary>A duration in nanoseconds, exactly (the reference's <c>getDuration(path, NANOSECONDS)</c>); same units
    /// as <see cref="GetDuration"/>.</summary>
    public long GetDurationNanos(string path) => DurationNanos(path, out _);

    private long DurationNanos(string path, out HoconValue value)
    {
        value = GetNonNull(path);
        try
        {
            return value switch
            {
                HoconNumber { IsInteger: true } n => checked(n.LongValue * 1_000_000L),
                HoconNumber n => checked((long)(n.DoubleValue * 1_000_000d)),
                HoconString s => HoconUnits.ParseDurationNanos(s.Value, value.Origin, path),
                _ => throw WrongType(path, value, "a duration such as '10s'"),
            };
        }
        catch (OverflowException)
        {
            throw new HoconException($"duration {value.ConcatText} is out of range for 64-bit nanoseconds", value.Origin, path);
        }
    }

    /// <summary>A period: a number means days; strings take units d, w, m/mo, y (and long forms).</summary>
    public HoconPeriod GetPeriod(string path)
    {
        var value = GetNonNull(path);
        return value switch
        {
            HoconNumber { IsInteger: true, LongValue: >= int.MinValue and <= int.MaxValue } n => new HoconPeriod(0, 0, (int)n.LongValue),
            HoconString s => HoconUnits.ParsePeriod(s.Value, value.Origin, path),
            _ => throw WrongType(path, value, "a period such as '2 weeks'"),
        };
    }

    /// <summary>A size in bytes: a number means bytes; strings take SI (kB, MB…) and IEC (K, Ki, KiB, MiB…) units.</summary>
    public long GetBytes(string path)
    {
        var value = GetNonNull(path);
        BigInteger bytes = value switch
        {
            HoconNumber { IsInteger: true } n => n.LongValue,
            HoconNumber n => new BigInteger(n.DoubleValue),
            HoconString s => HoconUnits.ParseBytes(s.Value, value.Origin, path),
            _ => throw WrongType(path, value, "a size in bytes such as '10MiB'"),
        };
        if (bytes < long.MinValue || bytes > long.MaxValue)
            throw new HoconException($"size-in-bytes value is out of range for a 64-bit long: {bytes}", value.Origin, path);
        return (long)bytes;
    }

    public HoconObject GetObject(string path)
    {
        var value = GetNonNull(path);
        return value as HoconObject ?? throw WrongType(path, value, "an object");
    }

    public Config GetConfig(string path) => new(GetObject(path));

    /// <summary>A list; an object with numeric keys (<c>{"0":a,"1":b}</c>) converts to a list, as the spec says.</summary>
    public IReadOnlyList<HoconValue> GetList(string path)
    {
        var value = GetNonNull(path);
        return value switch
        {
            HoconList list => list.Items,
            HoconObject obj when obj.AsNumericList() is { } converted => converted.Items,
            _ => throw WrongType(path, value, "a list"),
        };
    }

    public IReadOnlyList<string> GetStringList(string path) =>
        GetList(path).Select((item, i) => item switch
        {
            HoconString s => s.Value,
            HoconNumber or HoconBoolean => item.ConcatText!,
            _ => throw WrongType($"{path}[{i}]", item, "a string"),
        }).ToList();

    /// <summary>A list of objects as configs (e.g. <c>steps = [ {type = a}, {type = b} ]</c>).</summary>
    public IReadOnlyList<Config> GetConfigList(string path) =>
        GetList(path).Select((item, i) => item is HoconObject obj ? new Config(obj) : throw WrongType($"{path}[{i}]", item, "an object")).ToList();

    /// <summary>This config with <paramref name="fallback"/> underneath: keys missing here come from the fallback,
    /// objects merge recursively, and any non-object here hides the fallback's value.</summary>
    public Config WithFallback(Config fallback) => new((HoconObject)Merger.Merge(Root, fallback.Root));

    /// <summary>HOCON text (with origin comments) that parses back to an equal config.</summary>
    public string Render() => Root.Render();

    public string ToJson(bool indented = true) => Root.ToJson(indented);

    public override string ToString() => ToJson(indented: false);

    private HoconValue? Find(HoconPath path, out HoconValue nearest)
    {
        HoconValue current = Root;
        nearest = Root;
        foreach (var key in path.Keys)
        {
            if (current is not HoconObject obj) return null;
            nearest = obj;
            if (!obj.TryGetValue(key, out var child)) return null;
            current = child;
        }
        return current;
    }

    private HoconValue GetNonNull(string path)
    {
        var value = GetValue(path);
        return value is HoconNull ? throw new HoconException("configuration setting is null", value.Origin, path) : value;
    }

    private static HoconNumber AsNumber(string path, HoconValue value)
    {
        if (value is HoconNumber number) return number;
        if (value is HoconString s)
        {
            var origin = s.Origin;
            if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return new HoconNumber(origin, s.Value, l);
            if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return new HoconNumber(origin, s.Value, d);
        }
        throw WrongType(path, value, "a number");
    }

    private static HoconException WrongType(string path, HoconValue value, string expected) =>
        new($"has type {value.Type.ToString().ToLowerInvariant()} rather than {expected}", value.Origin, path);
}
