using System.Buffers;
using System.Text;
using System.Text.Json;
using Ingrain.Actors.Tests.Backends.Peers;
using Xunit;

namespace Ingrain.Actors.Tests.Backends;

/// <summary>The one JSON shape every JSON backend writes (<see cref="MeasurementJson"/>).</summary>
public sealed class MeasurementJsonShapeTests
{
    private static string Line(Measurement m)
    {
        var output = new ArrayBufferWriter<byte>();
        MeasurementJson.WriteLine(output, m);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Combined_kinds_are_joined_and_a_repeated_tag_key_keeps_its_first_value()
    {
        var line = Line(new Measurement(5, MeasurementKind.Set | MeasurementKind.SetUniques, "users", MeasurementValue.Str("alice"),
            Tags.Of(("k", "first"), ("other", "x"), ("k", "second"))));

        Assert.Equal("{\"timestamp\":5,\"name\":\"users\",\"kind\":\"set|set_uniques\",\"value\":\"alice\",\"unit\":\"str\"," +
                     "\"tags\":{\"k\":\"first\",\"other\":\"x\"}}\n", line);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_value_is_null(double value)
    {
        var root = JsonDocument.Parse(Line(new Measurement(1, MeasurementKind.Gauge, "g", MeasurementValue.Count(value)))).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("value").ValueKind);
        Assert.Equal("count", root.GetProperty("unit").GetString());
    }

    [Fact]
    public void Escaping_keeps_non_ascii_and_html_and_escapes_quotes_backslashes_and_control_characters()
    {
        var line = Line(new Measurement(1, MeasurementKind.Counter, "n", MeasurementValue.Count(1),
            Tags.Of(("path", "/tmp/ünï <a&b>"), ("cmd", "say \"hi\"\\\n\u0001"))));

        Assert.Contains("\"path\":\"/tmp/ünï <a&b>\"", line);
        Assert.Contains("\"cmd\":\"say \\\"hi\\\"\\\\\\n\\u0001\"", line);
        Assert.Equal("say \"hi\"\\\n\u0001", JsonDocument.Parse(line).RootElement.GetProperty("tags").GetProperty("cmd").GetString());
    }

    [Fact]
    public async Task The_http_backend_sends_exactly_the_shared_lines()
    {
        await using var server = await IngestServer.StartAsync();
        var measurements = new[]
        {
            new Measurement(7, MeasurementKind.Counter | MeasurementKind.Histogram, "a", MeasurementValue.Count(double.NaN),
                Tags.Of(("k", "1"), ("k", "2"), ("u", "ü<>"))),
            new Measurement(8, MeasurementKind.Gauge, "b", MeasurementValue.Str("x\ty")),
        };
        await using (var writer = new HttpBackendWriter(ComponentSettings.Http with { Uri = server.Uri, Encoding = HttpBodyEncoding.Ndjson }))
        {
            await writer.WriteAsync(measurements, CancellationToken.None);
            await writer.FlushAsync(CancellationToken.None);
        }

        Assert.Equal(string.Concat(measurements.Select(Line)), Assert.Single(server.Accepted).Body);
    }
}
