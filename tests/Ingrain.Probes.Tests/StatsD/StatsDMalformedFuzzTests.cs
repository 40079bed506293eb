using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Ingrain.Probes.StatsD;
using Xunit;

namespace Ingrain.Probes.Tests.StatsD;

/// <summary>
/// ≥ 100,000 randomized malformed datagrams (fixed seed, so a failure replays): most go straight to the parser, a
/// portion through the real socket. Each datagram mixes lines that are malformed by construction with at most one
/// valid line carrying an id: the valid lines must all come out, the malformed ones be counted, nothing may throw.
/// </summary>
public sealed class StatsDMalformedFuzzTests
{
    private const int Seed = 20261122;
    private const int ParserDatagrams = 100_000;
    private const int SocketDatagrams = 5_000;

    private static readonly string[] BadTemplates =
    [
        "{0}", "{0}:1", "{0}:|c", "{0}:1|x", "{0}:1|", "{0}:abc|c", "{0}:NaN|g", "{0}:1e999|ms", "{0}:1|c|@0", "{0}:1|c|@2",
        "{0}:1|c|@abc", "{0}:1|c|#", "{0}:1|c|#:v", "{0}:1|c|#a,,b", "{0}:1|c|q", "{0}:1|c||", "{0}: 1|c", ":1|c", "{0}:1|ms|#a|#b",
        "{0}:--1|g", "{0}:1|c|T-5", "{0}:1|s|c:",
    ];

    private sealed record Datagram(byte[] Bytes, int Valid, int Malformed, int? Id);

    private static Datagram Generate(Random random, int index)
    {
        var lines = new List<byte[]>();
        var malformed = random.Next(1, 5);
        for (var i = 0; i < malformed; i++) lines.Add(BadLine(random));
        int? id = random.Next(3) == 0 ? index : null;
        if (id is not null)
            lines.Insert(random.Next(lines.Count + 1), Encoding.UTF8.GetBytes($"fuzz.ok:{id}|c|#i:{id}"));
        var bytes = new List<byte>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) bytes.Add((byte)'\n');
            bytes.AddRange(lines[i]);
        }
        return new Datagram(bytes.ToArray(), id is null ? 0 : 1, malformed, id);
    }

    private static byte[] BadLine(Random random)
    {
        switch (random.Next(3))
        {
            case 0: // a template that is malformed whatever the name
                return Encoding.UTF8.GetBytes(string.Format(CultureInfo.InvariantCulture,
                    BadTemplates[random.Next(BadTemplates.Length)], Name(random)));
            case 1: // random bytes without ':' (so no metric), never empty, never an event or service check
            {
                var bytes = new byte[random.Next(1, 60)];
                random.NextBytes(bytes);
                for (var i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] is (byte)':' or (byte)'\n' or (byte)'\r' or (byte)'_') bytes[i] = (byte)'x';
                }
                return bytes;
            }
            default: // a valid shape with a name that is not UTF-8
            {
                var name = Encoding.UTF8.GetBytes(Name(random)).ToList();
                name.Insert(random.Next(name.Count + 1), (byte)(0x80 + random.Next(0x40)));
                return [.. name, .. ":1|c"u8.ToArray()];
            }
        }
    }

    private static string Name(Random random)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz._-0123456789";
        var n = random.Next(1, 20);
        var s = new char[n];
        for (var i = 0; i < n; i++) s[i] = chars[random.Next(chars.Length)];
        return new string(s);
    }

    [Fact]
    public void Parser_survives_100000_malformed_datagrams_and_keeps_their_valid_lines()
    {
        var random = new Random(Seed);
        var output = new List<Measurement>();
        long expectedValid = 0, expectedMalformed = 0, parsed = 0, malformed = 0;
        for (var i = 0; i < ParserDatagrams; i++)
        {
            var d = Generate(random, i);
            output.Clear();
            var r = StatsDLineParser.ParseDatagram(d.Bytes, 1, output);
            Assert.Equal(d.Valid, output.Count);
            if (d.Id is { } id) Assert.Equal(id.ToString(CultureInfo.InvariantCulture), output[0].Tags.Get("i"));
            expectedValid += d.Valid;
            expectedMalformed += d.Malformed;
            parsed += r.Parsed;
            malformed += r.Malformed;
        }
        Assert.Equal(expectedValid, parsed);
        Assert.Equal(expectedMalformed, malformed);
    }

    [Fact]
    public void Parser_never_throws_on_arbitrary_bytes()
    {
        var random = new Random(Seed + 1);
        var output = new List<Measurement>();
        var buffer = new byte[512];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            // Sprinkle the protocol's separators so the parser gets deep into lines.
            for (var j = 0; j < length / 8; j++) buffer[random.Next(length)] = ":|@#,\nTc"u8[random.Next(8)];
            output.Clear();
            var r = StatsDLineParser.ParseDatagram(buffer.AsSpan(0, length), 1, output);
            Assert.Equal(r.Parsed, output.Count);
        }
    }

    [Fact]
    public async Task Listener_counts_malformed_datagrams_from_the_socket_and_keeps_serving()
    {
        await using var listener = new StatsDListener(ProbeSettings.StatsD with { Bind = "127.0.0.1:0" });
        var received = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var run = listener.RunAsync(batch => { foreach (var m in batch) received.Add(m.Tags.Get("i")!); }, stop.Token);
        using var client = new UdpClient();
        client.Connect(listener.LocalEndPoint);

        var random = new Random(Seed + 2);
        long expectedMalformed = 0;
        var expectedIds = new List<string>();
        for (var i = 0; i < SocketDatagrams; i++)
        {
            var d = Generate(random, i);
            await client.SendAsync(d.Bytes);
            expectedMalformed += d.Malformed;
            if (d.Id is { } id) expectedIds.Add(id.ToString(CultureInfo.InvariantCulture));
            // Pace the sender so the kernel never drops a datagram: the counts below are exact.
            if (i % 200 == 199) await WaitForDatagrams(listener, i + 1);
        }
        await WaitForDatagrams(listener, SocketDatagrams);

        Assert.Equal(expectedMalformed, listener.Counters.Malformed);
        Assert.Equal(expectedIds.Order(), received.Order());
        Assert.Equal(0, listener.Counters.ReceiveErrors);

        await client.SendAsync("after.fuzz:1|c|#i:last"u8.ToArray());
        await WaitForDatagrams(listener, SocketDatagrams + 1);
        Assert.Contains("last", received);

        await stop.CancelAsync();
        await run;
    }

    private static async Task WaitForDatagrams(StatsDListener listener, long count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (listener.Counters.Datagrams < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"listener saw {listener.Counters.Datagrams} of {count} datagrams: {listener.Counters}");
            await Task.Delay(2);
        }
    }
}
