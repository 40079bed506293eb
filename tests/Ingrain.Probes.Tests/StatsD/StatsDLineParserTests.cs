using System.Text;
using Ingrain.Probes.StatsD;
using Xunit;

namespace Ingrain.Probes.Tests.StatsD;

public sealed class StatsDLineParserTests
{
    private const long Now = 1_700_000_000_000_000_000;

    private static Measurement Parse(string line)
    {
        Assert.Equal(StatsDLineStatus.Parsed, StatsDLineParser.TryParse(Encoding.UTF8.GetBytes(line), Now, out var m));
        return m!;
    }

    [Fact]
    public void Counter_with_rate_and_dogstatsd_tags()
    {
        var m = Parse("file.read:3|c|@0.5|#process:cat,uid:0,flag");
        Assert.Equal("file.read", m.Name);
        Assert.Equal(MeasurementKind.Counter, m.Kind);
        Assert.Equal(3, m.Value.Number);
        Assert.Equal(0.5, m.SampleRate);
        Assert.Equal(Tags.Of(("process", "cat"), ("uid", "0"), ("flag", "")), m.Tags);
        Assert.Equal(Now, m.Timestamp);
    }

    [Theory]
    [InlineData("g:5|g", MeasurementKind.Gauge, 5.0, true)]
    [InlineData("g:+5|g", MeasurementKind.Gauge, 5.0, false)]
    [InlineData("g:-2.5|g", MeasurementKind.Gauge, -2.5, false)]
    [InlineData("t:12.5|ms", MeasurementKind.Timer, 12.5, true)]
    [InlineData("h:7|h", MeasurementKind.Histogram, 7.0, true)]
    [InlineData("d:1e3|d", MeasurementKind.Histogram, 1000.0, true)]
    [InlineData("c:-1|c", MeasurementKind.Counter, -1.0, true)]
    public void Numeric_types(string line, MeasurementKind kind, double value, bool reset)
    {
        var m = Parse(line);
        Assert.Equal(kind, m.Kind);
        Assert.Equal(value, m.Value.Number);
        Assert.Equal(reset, m.Reset);
        Assert.Equal(MeasurementUnit.Count, m.Value.Unit);
    }

    [Fact]
    public void Sets_container_id_and_client_timestamp()
    {
        var m = Parse("users:alice|s|c:abc123|T1700000001|#env:prod");
        Assert.Equal(MeasurementKind.Set, m.Kind);
        Assert.Equal("alice", m.Value.Text);
        Assert.Equal(1_700_000_001_000_000_000, m.Timestamp);
        Assert.Equal(Tags.Of(("env", "prod"), ("container_id", "abc123")), m.Tags);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r")]
    [InlineData("_e{5,4}:title|text")]
    [InlineData("_sc|check|0")]
    public void Empty_lines_events_and_service_checks_are_ignored(string line) =>
        Assert.Equal(StatsDLineStatus.Ignored, StatsDLineParser.TryParse(Encoding.UTF8.GetBytes(line), Now, out _));

    [Theory]
    [InlineData("nocolon")]
    [InlineData(":1|c")]
    [InlineData("a:1")]
    [InlineData("a:|c")]
    [InlineData("a:1|x")]
    [InlineData("a:1|")]
    [InlineData("a:abc|c")]
    [InlineData("a:NaN|g")]
    [InlineData("a:Infinity|g")]
    [InlineData("a:1e999|c")]
    [InlineData("a: 1|c")]
    [InlineData("a:1|c|@0")]
    [InlineData("a:1|c|@1.5")]
    [InlineData("a:1|c|@x")]
    [InlineData("a:1|c|#")]
    [InlineData("a:1|c|#:v")]
    [InlineData("a:1|c|#a,,b")]
    [InlineData("a:1|c|#a|#b")]
    [InlineData("a:1|c|z")]
    [InlineData("a:1|c||")]
    [InlineData("a:1|c|Tx")]
    [InlineData("a|b:1|c")]
    public void Malformed_lines(string line) =>
        Assert.Equal(StatsDLineStatus.Malformed, StatsDLineParser.TryParse(Encoding.UTF8.GetBytes(line), Now, out _));

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        byte[] line = [0xff, 0xfe, (byte)':', (byte)'1', (byte)'|', (byte)'c'];
        Assert.Equal(StatsDLineStatus.Malformed, StatsDLineParser.TryParse(line, Now, out _));
    }

    [Fact]
    public void A_malformed_line_is_skipped_alone()
    {
        var output = new List<Measurement>();
        var result = StatsDLineParser.ParseDatagram("a:1|c\nbroken\r\nb:2|g\r\n\nc:x|c\nd:4|ms"u8, Now, output);
        Assert.Equal(new StatsDDatagramResult(3, 1, 2), result);
        Assert.Equal(["a", "b", "d"], output.Select(m => m.Name));
    }
}
