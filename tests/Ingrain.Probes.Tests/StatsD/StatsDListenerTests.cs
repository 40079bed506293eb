using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ingrain.Probes.StatsD;
using Xunit;

namespace Ingrain.Probes.Tests.StatsD;

public sealed class StatsDListenerTests
{
    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Real_udp_clients_deliver_counters_gauges_timers_and_sets()
    {
        await using var listener = new StatsDListener(ProbeSettings.StatsD with { Bind = "127.0.0.1:0" });
        var received = new ConcurrentQueue<Measurement>();
        using var stop = new CancellationTokenSource();
        var run = listener.RunAsync(batch => { foreach (var m in batch) received.Enqueue(m); }, stop.Token);

        using var first = new UdpClient();
        using var second = new UdpClient();
        first.Connect(listener.LocalEndPoint);
        second.Connect(listener.LocalEndPoint);
        await first.SendAsync(Encoding.UTF8.GetBytes("file.read:3|c|@0.1|#process:cat\nqueue:+4|g\nexec.time:12|ms"));
        await second.SendAsync(Encoding.UTF8.GetBytes("users:bob|s\nbad line\nqueue:-1|g|#host:a"));
        await Until(() => received.Count == 5, "5 measurements");

        var byName = received.ToLookup(m => m.Name);
        var read = Assert.Single(byName["file.read"]);
        Assert.Equal((3.0, 0.1, "cat"), (read.Value.Number, read.SampleRate, read.Tags.Get("process")));
        Assert.Equal([(4.0, false), (-1.0, false)], byName["queue"].Select(m => (m.Value.Number, m.Reset)).OrderByDescending(x => x.Item1));
        Assert.Equal(MeasurementKind.Timer, Assert.Single(byName["exec.time"]).Kind);
        Assert.Equal("bob", Assert.Single(byName["users"]).Value.Text);
        Assert.Equal(1, listener.Counters.Malformed);
        Assert.Equal(2, listener.Counters.Datagrams);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_throwing_sink_does_not_stop_the_listener()
    {
        await using var listener = new StatsDListener(ProbeSettings.StatsD with { Bind = "127.0.0.1:0" });
        var calls = 0;
        var received = new ConcurrentQueue<Measurement>();
        using var stop = new CancellationTokenSource();
        var run = listener.RunAsync(batch =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("downstream broke");
            foreach (var m in batch) received.Enqueue(m);
        }, stop.Token);

        using var client = new UdpClient();
        client.Connect(listener.LocalEndPoint);
        await client.SendAsync("a:1|c"u8.ToArray());
        await Until(() => listener.Counters.SinkFailures == 1, "the sink failure");
        await client.SendAsync("b:1|c"u8.ToArray());
        await Until(() => received.Count == 1, "the next datagram");

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void A_taken_port_fails_with_a_message_that_says_what_to_do()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var bind = taken.LocalEndPoint!.ToString()!;
        var e = Assert.Throws<InvalidOperationException>(() => new StatsDListener(ProbeSettings.StatsD with { Bind = bind }));
        Assert.Contains("bind", e.Message);
    }

    [Theory]
    [InlineData("8125")]
    [InlineData("localhost:8125")]
    [InlineData("127.0.0.1:99999")]
    public void Bad_bind_addresses_are_reported(string bind) => Assert.NotEmpty((ProbeSettings.StatsD with { Bind = bind }).Validate());
}
