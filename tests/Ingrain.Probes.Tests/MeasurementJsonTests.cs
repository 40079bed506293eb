using System.Buffers;
using System.Text;
using System.Text.Json;
using Ingrain.Probes.Exec;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>The JSON line `ingrain run` prints for an exec event.</summary>
public sealed class MeasurementJsonTests
{
    [Fact]
    public void Exec_event_is_one_JSON_line_in_the_documented_shape()
    {
        var e = new ExecEvent(1_700_000_000_123456789, new ProcessIdentity(42, 42, 1, 0, 0, "env", 7),
            "/usr/bin/env", ["env", "A=\"b\"", "ünï"], false);
        var buffer = new ArrayBufferWriter<byte>();
        MeasurementJson.WriteLine(buffer, e);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.EndsWith("}\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("{\"timestamp\":1700000000123456789,\"name\":\"process.exec\",\"kind\":\"counter\",\"value\":1,\"unit\":\"count\",\"tags\":{\"process_id\":\"42\"", text);
        var tags = JsonDocument.Parse(text).RootElement.GetProperty("tags");
        Assert.Equal("env A=\"b\" ünï", tags.GetProperty("args_str").GetString());
        Assert.Contains("ünï", text); // not \u-escaped
    }

    [Fact]
    public void String_values_and_combined_kinds()
    {
        var m = new Measurement(1, MeasurementKind.Counter | MeasurementKind.Histogram, "x", MeasurementValue.Str("hello"));
        var buffer = new ArrayBufferWriter<byte>();
        MeasurementJson.WriteLine(buffer, m);
        var root = JsonDocument.Parse(buffer.WrittenMemory).RootElement;
        Assert.Equal(("counter|histogram", "hello", "str"),
            (root.GetProperty("kind").GetString(), root.GetProperty("value").GetString(), root.GetProperty("unit").GetString()));
    }
}
