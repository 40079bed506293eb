using System.Numerics;
using System.Text.Json;
using Xunit;
using Ingrain.Hocon.Units;

namespace Ingrain.Hocon.Tests;

/// <summary>The shared <c>units-and-paths.json</c> table: durations, periods, sizes and path expressions.</summary>
public sealed class UnitsAndPathsTests
{
    private static readonly Lazy<JsonElement> Table = new(() =>
        JsonDocument.Parse(File.ReadAllText(ConformanceData.PathOf("units-and-paths.json"))).RootElement);

    public static IEnumerable<object[]> Cases(string section) =>
        Table.Value.GetProperty(section).GetProperty("cases").EnumerateArray().Select((_, i) => new object[] { i });

    private static JsonElement Case(string section, int index) => Table.Value.GetProperty(section).GetProperty("cases")[index];

    private static bool IsError(JsonElement c) => c.TryGetProperty("error", out var e) && e.GetBoolean();

    [ConformanceTheory]
    [MemberData(nameof(Cases), "duration")]
    public void Duration(int index)
    {
        var c = Case("duration", index);
        var input = c.GetProperty("input").GetString()!;
        if (IsError(c))
        {
            Assert.Throws<HoconException>(() => HoconUnits.ParseDurationNanos(input));
            return;
        }
        Assert.Equal(c.GetProperty("nanoseconds").GetInt64(), HoconUnits.ParseDurationNanos(input));
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases), "period")]
    public void Period(int index)
    {
        var c = Case("period", index);
        var input = c.GetProperty("input").GetString()!;
        if (IsError(c))
        {
            Assert.Throws<HoconException>(() => HoconUnits.ParsePeriod(input));
            return;
        }
        Assert.Equal(c.GetProperty("iso8601_period").GetString(), HoconUnits.ParsePeriod(input).ToString());
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases), "bytes")]
    public void Bytes(int index)
    {
        var c = Case("bytes", index);
        var input = c.GetProperty("input").GetString()!;
        if (IsError(c))
        {
            Assert.Throws<HoconException>(() => HoconUnits.ParseBytes(input));
            return;
        }
        Assert.Equal(BigInteger.Parse(c.GetProperty("bytes").GetString()!), HoconUnits.ParseBytes(input));
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases), "path")]
    public void Path(int index)
    {
        var c = Case("path", index);
        var input = c.GetProperty("input").GetString()!;
        if (IsError(c))
        {
            Assert.Throws<HoconException>(() => HoconPath.Parse(input));
            return;
        }
        var expected = c.GetProperty("elements").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(expected, HoconPath.Parse(input).Keys);
    }

    [Fact]
    public void Config_getters_use_the_same_unit_rules()
    {
        var config = HoconParser.Parse("""
            timeout = 1.5 s
            bare-duration = 250
            buffer = 64 MiB
            disk = 10GB
            bare-size = 4096
            keep = 3 weeks
            """, options: new HoconParseOptions { UseEnvironment = false });
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.GetDuration("timeout"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.GetDuration("bare-duration"));
        Assert.Equal(64L * 1024 * 1024, config.GetBytes("buffer"));
        Assert.Equal(10_000_000_000L, config.GetBytes("disk"));
        Assert.Equal(4096L, config.GetBytes("bare-size"));
        Assert.Equal(new HoconPeriod(0, 0, 21), config.GetPeriod("keep"));
    }

    [Fact]
    public void Durations_below_TimeSpan_resolution_are_an_error_and_readable_in_nanoseconds()
    {
        var config = HoconParser.Parse("""
            tiny = 50ns
            tiny-negative = -1ns
            tiny-bare = 0.00005
            zero = 0ns
            odd = 150ns
            """, "tiny.conf", new HoconParseOptions { UseEnvironment = false });
        var e = Assert.Throws<HoconException>(() => config.GetDuration("tiny"));
        Assert.StartsWith("tiny.conf:1:8: path 'tiny': duration of 50 ns is shorter than TimeSpan's resolution", e.Message);
        Assert.Contains("GetDurationNanos", e.Message);
        Assert.Throws<HoconException>(() => config.GetDuration("tiny-negative"));
        Assert.Throws<HoconException>(() => config.GetDuration("tiny-bare"));
        Assert.Equal(50L, config.GetDurationNanos("tiny"));
        Assert.Equal(-1L, config.GetDurationNanos("tiny-negative"));
        Assert.Equal(50L, config.GetDurationNanos("tiny-bare"));
        Assert.Equal(TimeSpan.Zero, config.GetDuration("zero"));
        Assert.Equal(TimeSpan.FromTicks(1), config.GetDuration("odd"));
        Assert.Equal(150L, config.GetDurationNanos("odd"));
    }

    [Fact]
    public void Durations_beyond_64_bit_nanoseconds_are_out_of_range()
    {
        var config = HoconParser.Parse("huge-unit = 1e300 s\nhuge-bare = 1e300\n", "huge.conf", new HoconParseOptions { UseEnvironment = false });
        Assert.Contains("out of range", Assert.Throws<HoconException>(() => config.GetDuration("huge-unit")).Message);
        var e = Assert.Throws<HoconException>(() => config.GetDurationNanos("huge-bare"));
        Assert.StartsWith("huge.conf:2:13: path 'huge-bare': duration 1e300 is out of range", e.Message);
    }

    [Fact]
    public void Sizes_beyond_64_bits_are_out_of_range()
    {
        var config = HoconParser.Parse("huge = 1YB", "huge.conf");
        var e = Assert.Throws<HoconException>(() => config.GetBytes("huge"));
        Assert.Contains("out of range", e.Message);
        Assert.Contains("huge.conf:1:8", e.Message);
        Assert.Equal("huge", e.Path);
    }
}
