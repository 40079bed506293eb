using Xunit;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ingrain.Actors.Tests.Backends.Peers;

namespace Ingrain.Actors.Tests.Backends;

public sealed class StatsDBackendTests
{
    private static Measurement M(MeasurementKind kind, string name, double value, Tags? tags = null, double rate = 1, bool reset = true) =>
        new(Measurement.NowNanos(), kind, name, MeasurementValue.Count(value), tags, rate, reset);

    [Fact]
    public async Task Counters_gauges_and_timers_arrive_at_a_real_etsy_statsd_with_their_values()
    {
        using var server = await EtsyStatsDServer.StartAsync();
        await using var writer = new StatsDBackendWriter(ComponentSettings.StatsD with { Port = server.Port, Prefix = "ingrain" });

        await writer.WriteAsync(
        [
            M(MeasurementKind.Counter, "file.read", 3, Tags.Of(("process", "cat"))),
            M(MeasurementKind.Counter, "file.read", 2, Tags.Of(("process", "cat"))),
            M(MeasurementKind.Counter, "sampled", 1, rate: 0.5),
            M(MeasurementKind.Gauge, "queue.depth", 10),
            M(MeasurementKind.Gauge, "queue.depth", 4, reset: false),
            M(MeasurementKind.Gauge, "queue.depth", -1, reset: false),
            M(MeasurementKind.Gauge, "temperature", -7),
            M(MeasurementKind.Timer, "exec.duration", 12),
            M(MeasurementKind.Timer, "exec.duration", 30),
            // A combined kind picks its lowest flag: counter, not histogram.
            M(MeasurementKind.Counter | MeasurementKind.Histogram | MeasurementKind.Meter, "net.bytes", 100),
        ], CancellationToken.None);

        var counters = await EtsyStatsDServer.EventuallyAsync(server.CountersAsync, c => c.ContainsKey("ingrain.net.bytes"));
        Assert.Equal(5, counters["ingrain.file.read;process=cat"]);
        Assert.Equal(2, counters["ingrain.sampled"]); // 1 at rate 0.5 stands for 2
        Assert.Equal(100, counters["ingrain.net.bytes"]);
        Assert.Equal(11, counters["statsd.metrics_received"]); // 10 measurements, the negative gauge as two lines
        Assert.Equal(0, counters["statsd.bad_lines_seen"]);

        var gauges = await server.GaugesAsync();
        Assert.Equal(13, gauges["ingrain.queue.depth"]);
        Assert.Equal(-7, gauges["ingrain.temperature"]); // sent as 0 then -7, not read as a relative change
        Assert.False(counters.ContainsKey("ingrain.queue.depth"), "a gauge must not be sent as a counter");

        var timers = await server.TimersAsync();
        Assert.Equal([12.0, 30.0], timers["ingrain.exec.duration"].Order());
        Assert.Equal(10, writer.Counters.Sent);
        Assert.Equal(0, writer.Counters.Dropped);
    }

    [Fact]
    public async Task Many_measurements_are_packed_into_datagrams_no_larger_than_max_packet_size()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveBufferSize = 1 << 20;
        var port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        await using var writer = new StatsDBackendWriter(ComponentSettings.StatsD with { Port = port, Prefix = "p", MaxPacketSize = 200 });

        var batch = Enumerable.Range(0, 50).Select(i => M(MeasurementKind.Counter, $"metric.{i}", i, Tags.Of(("k", "v")))).ToArray();
        await writer.WriteAsync(batch, CancellationToken.None);

        var lines = new List<string>();
        var datagrams = 0;
        var buffer = new byte[65535];
        while (lines.Count < 50)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var n = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(n <= 200, $"datagram of {n} bytes exceeds max-packet-size");
            datagrams++;
            lines.AddRange(Encoding.UTF8.GetString(buffer, 0, n).Split('\n'));
        }
        Assert.Equal(batch.Select((_, i) => $"p.metric.{i}:{i}|c|#k:v"), lines);
        Assert.InRange(datagrams, 2, 49); // packed, not one per metric
    }

    [Fact]
    public async Task Unix_datagram_socket_receives_the_lines()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ingrain-dsd-{Guid.NewGuid():N}.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            await using var writer = new StatsDBackendWriter(ComponentSettings.StatsD with { SocketPath = path, Prefix = "" });
            await writer.WriteAsync([M(MeasurementKind.Histogram, "lat", 4.5), M(MeasurementKind.Set, "users", 0) with { Value = MeasurementValue.Str("alice") }],
                CancellationToken.None);
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var n = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.Equal("lat:4.5|h\nusers:alice|s", Encoding.UTF8.GetString(buffer, 0, n));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_unix_socket_server_that_goes_away_is_counted_and_reconnected_when_back()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ingrain-dsd-{Guid.NewGuid():N}.sock");
        var buffer = new byte[4096];
        try
        {
            await using var writer = new StatsDBackendWriter(ComponentSettings.StatsD with { SocketPath = path, Prefix = "" });
            await writer.WriteAsync([M(MeasurementKind.Counter, "before", 1)], CancellationToken.None);
            Assert.Equal((0, 1, 1), (writer.Counters.Sent, writer.Counters.Failed, writer.Counters.Dropped)); // nobody listening yet

            using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            receiver.Bind(new UnixDomainSocketEndPoint(path));
            await writer.WriteAsync([M(MeasurementKind.Counter, "after", 1)], CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var n = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.Equal("after:1|c", Encoding.UTF8.GetString(buffer, 0, n));
            Assert.Equal(1, writer.Counters.Sent);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(MeasurementKind.Counter, 2.0, true, 1.0, "n:2|c")]
    [InlineData(MeasurementKind.Meter, 2.0, true, 1.0, "n:2|c")]
    [InlineData(MeasurementKind.Gauge, 2.5, true, 1.0, "n:2.5|g")]
    [InlineData(MeasurementKind.Gauge, 2.0, false, 1.0, "n:+2|g")]
    [InlineData(MeasurementKind.Gauge, -2.0, false, 1.0, "n:-2|g")]
    [InlineData(MeasurementKind.Gauge, -2.0, true, 1.0, "n:0|g\nn:-2|g")]
    [InlineData(MeasurementKind.Timer, 15.0, true, 0.25, "n:15|ms|@0.25")]
    [InlineData(MeasurementKind.Histogram | MeasurementKind.Timer, 1.0, true, 1.0, "n:1|h")]
    [InlineData(MeasurementKind.SetUniques, 9.0, true, 1.0, "n:9|g")]
    [InlineData(MeasurementKind.Percentile, 9.0, true, 1.0, "n:9|g")]
    public void Each_kind_is_written_as_its_statsd_type(MeasurementKind kind, double value, bool reset, double rate, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(new StatsDLineFormatter("").TryWrite(output, M(kind, "n", value, rate: rate, reset: reset)));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Distributions_tags_and_unsafe_characters()
    {
        var output = new ArrayBufferWriter<byte>();
        var m = M(MeasurementKind.Histogram, "a|b:c", 1, Tags.Of(("path", "/x|y,z"), ("k:x", "v:w"), ("flag", "")));
        Assert.True(new StatsDLineFormatter("pre.", StatsDHistogramType.Distribution).TryWrite(output, m));
        Assert.Equal("pre.a_b_c:1|d|#path:/x_y_z,k_x:v:w,flag", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public async Task A_string_value_on_a_counter_is_dropped_and_counted()
    {
        await using var writer = new StatsDBackendWriter(ComponentSettings.StatsD with { Port = PeerPaths.FreeUdpPort() });
        await writer.WriteAsync([M(MeasurementKind.Counter, "x", 0) with { Value = MeasurementValue.Str("nope") }], CancellationToken.None);
        Assert.Equal(1, writer.Counters.Dropped);
        Assert.Equal(0, writer.Counters.Sent);
    }

    [Fact]
    public void Options_validation_reports_every_problem()
    {
        var errors = (ComponentSettings.StatsD with { Host = "", Port = 0, MaxPacketSize = 10, Prefix = "a|b" }).Validate();
        Assert.Equal(4, errors.Count);
        Assert.Empty((ComponentSettings.StatsD).Validate());
    }
}
