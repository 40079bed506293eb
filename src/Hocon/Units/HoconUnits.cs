using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Ingrain.Hocon.Syntax;

namespace Ingrain.Hocon.Units;

/// <summary>HOCON unit formats: durations, periods and sizes in bytes (spec "Units format"). Units are case-sensitive.</summary>
public static partial class HoconUnits
{
    /// <summary>Duration text (<c>10s</c>, <c>1.5 hours</c>, bare number = milliseconds) in nanoseconds.</summary>
    public static long ParseDurationNanos(string input, HoconOrigin? origin = null, string? path = null)
    {
        var (number, unit) = Split(input, "duration", origin, path);
        var originalUnit = unit;
        if (unit.Length > 2 && !unit.EndsWith('s')) unit += "s";
        long nanosPerUnit = unit switch
        {
            "" or "ms" or "millis" or "milliseconds" => 1_000_000L,
            "us" or "micros" or "microseconds" => 1_000L,
            "ns" or "nanos" or "nanoseconds" => 1L,
            "d" or "days" => 86_400_000_000_000L,
            "h" or "hours" => 3_600_000_000_000L,
            "s" or "seconds" => 1_000_000_000L,
            "m" or "minutes" => 60_000_000_000L,
            _ => throw new HoconException($"could not parse time unit '{originalUnit}' in '{input}' (try ns, us, ms, s, m, h, d)", origin, path),
        };
        try
        {
            if (IntegerPattern().IsMatch(number))
                return checked(long.Parse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) * nanosPerUnit);
            return checked((long)(ParseDouble(number, input, origin, path) * nanosPerUnit));
        }
        catch (OverflowException)
        {
            throw new HoconException($"duration '{input}' is out of range", origin, path);
        }
    }

    /// <summary>Period text (<c>3 weeks</c>, <c>1y</c>, bare number = days).</summary>
    public static HoconPeriod ParsePeriod(string input, HoconOrigin? origin = null, string? path = null)
    {
        var (number, unit) = Split(input, "period", origin, path);
        var originalUnit = unit;
        if (unit.Length > 2 && !unit.EndsWith('s')) unit += "s";
        if (!int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new HoconException($"could not parse period number '{number}' in '{input}'", origin, path);
        try
        {
            return unit switch
            {
                "" or "d" or "days" => new HoconPeriod(0, 0, n),
                "w" or "weeks" => new HoconPeriod(0, 0, checked(n * 7)),
                "m" or "mo" or "months" => new HoconPeriod(0, n, 0),
                "y" or "years" => new HoconPeriod(n, 0, 0),
                _ => throw new HoconException($"could not parse period unit '{originalUnit}' in '{input}' (try d, w, mo, y)", origin, path),
            };
        }
        catch (OverflowException)
        {
            throw new HoconException($"period '{input}' is out of range", origin, path);
        }
    }

    /// <summary>Size text (<c>10MiB</c>, <c>512k</c>, <c>1kB</c>, bare number = bytes); may exceed 64 bits.</summary>
    public static BigInteger ParseBytes(string input, HoconOrigin? origin = null, string? path = null)
    {
        var (number, unit) = Split(input, "size-in-bytes", origin, path);
        if (!SizeUnits.TryGetValue(unit, out var bytesPerUnit))
            throw new HoconException($"could not parse size-in-bytes unit '{unit}' in '{input}' (try k, K, kB, KiB, kilobytes, kibibytes)", origin, path);
        var match = DecimalPattern().Match(number);
        if (!match.Success) throw new HoconException($"could not parse size-in-bytes number '{number}' in '{input}'", origin, path);
        var digits = match.Groups["int"].Value + match.Groups["frac"].Value;
        if (digits.Length == 0) throw new HoconException($"could not parse size-in-bytes number '{number}' in '{input}'", origin, path);
        var scale = match.Groups["frac"].Value.Length;
        if (match.Groups["exp"].Success)
        {
            if (!int.TryParse(match.Groups["exp"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 1000)
                throw new HoconException($"size-in-bytes number '{number}' is out of range", origin, path);
            scale -= exponent;
        }
        var unscaled = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (match.Groups["sign"].Value == "-") unscaled = -unscaled;
        var product = unscaled * bytesPerUnit;
        return scale >= 0 ? BigInteger.Divide(product, BigInteger.Pow(10, scale)) : product * BigInteger.Pow(10, -scale);
    }

    private static (string Number, string Unit) Split(string input, string what, HoconOrigin? origin, string? path)
    {
        var s = CharClass.TrimWhitespace(input);
        var i = s.Length;
        while (i > 0 && char.IsLetter(s[i - 1])) i--;
        var unit = s[i..];
        var number = CharClass.TrimWhitespace(s[..i]);
        if (number.Length == 0) throw new HoconException($"no number in {what} value '{input}'", origin, path);
        return (number, unit);
    }

    private static double ParseDouble(string number, string input, HoconOrigin? origin, string? path)
    {
        if (DecimalPattern().IsMatch(number) && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        throw new HoconException($"could not parse duration number '{number}' in '{input}'", origin, path);
    }

    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^(?<sign>[+-]?)(?<int>[0-9]*)(?:\\.(?<frac>[0-9]*))?(?:[eE](?<exp>[+-]?[0-9]+))?$")]
    private static partial Regex DecimalPattern();

    private static readonly Dictionary<string, BigInteger> SizeUnits = BuildSizeUnits();

    private static Dictionary<string, BigInteger> BuildSizeUnits()
    {
        var map = new Dictionary<string, BigInteger>(StringComparer.Ordinal)
        {
            [""] = 1, ["b"] = 1, ["B"] = 1, ["byte"] = 1, ["bytes"] = 1,
        };
        string[] decimalPrefixes = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryPrefixes = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        for (var power = 1; power <= 8; power++)
        {
            var dec = BigInteger.Pow(1000, power);
            var prefix = decimalPrefixes[power - 1];
            map[prefix + "byte"] = dec;
            map[prefix + "bytes"] = dec;
            map[power == 1 ? "kB" : char.ToUpperInvariant(prefix[0]) + "B"] = dec;

            var bin = BigInteger.Pow(1024, power);
            var binPrefix = binaryPrefixes[power - 1];
            var first = binPrefix[0].ToString();
            var upper = first.ToUpperInvariant();
            map[binPrefix + "byte"] = bin;
            map[binPrefix + "bytes"] = bin;
            map[first] = bin;
            map[upper] = bin;
            map[upper + "i"] = bin;
            map[upper + "iB"] = bin;
        }
        return map;
    }
}

/// <summary>A calendar period (years, months, days) as HOCON's period format describes it.</summary>
public readonly record struct HoconPeriod(int Years, int Months, int Days)
{
    /// <summary>ISO-8601 text as java.time.Period prints it (<c>P1Y</c>, <c>P21D</c>, <c>P0D</c>).</summary>
    public override string ToString()
    {
        if (Years == 0 && Months == 0 && Days == 0) return "P0D";
        var text = "P";
        if (Years != 0) text += Years.ToString(CultureInfo.InvariantCulture) + "Y";
        if (Months != 0) text += Months.ToString(CultureInfo.InvariantCulture) + "M";
        if (Days != 0) text += Days.ToString(CultureInfo.InvariantCulture) + "D";
        return text;
    }
}
