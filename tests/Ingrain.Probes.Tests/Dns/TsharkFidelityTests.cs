using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Probes.Dns;
using Ingrain.TestSupport.Kernel;
using Xunit;
using Xunit.Abstractions;
using static Ingrain.Probes.Tests.Dns.DnsTestKit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>
/// tshark on <c>lo</c> beside the probe while dig asks dnsmasq (UDP, TCP, IPv4, IPv6, every record type, an NXDOMAIN
/// and a truncated answer retried over TCP): every DNS message tshark decodes is reported by the probe with the same
/// id, source port, name, type, answer count and answer data, once by the socket that sent it and once by the
/// socket that received it; and the probe reports nothing tshark did not see.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TsharkFidelityTests(ITestOutputHelper output)
{
    private static readonly string[] Fields =
        ["dns.id", "dns.flags.response", "udp.srcport", "tcp.srcport", "dns.qry.name", "dns.qry.type", "dns.count.answers",
         "dns.a", "dns.aaaa", "dns.cname", "dns.mx.mail_exchange", "dns.txt", "dns.srv.target"];

    [KernelFact]
    public async Task Every_message_tshark_decodes_is_reported_with_the_same_id_names_and_answers_by_both_sockets()
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        using var tshark = await StartTsharkAsync(dnsmasq.Port);
        var rows = new ConcurrentQueue<string[]>();
        var reading = Task.Run(async () =>
        {
            while (await tshark.StandardOutput.ReadLineAsync() is { } line) rows.Enqueue(line.Split(';'));
        });
        await MarkerSeenAsync(rows, dnsmasq.Port);
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = DnsProbe.Attach(Options(dnsmasq.Port), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var digs = new List<Dig>();
        var expectedMessages = 0;
        foreach (var (server, tcp) in new[] { ("127.0.0.1", false), ("::1", false), ("127.0.0.1", true), ("::1", true) })
        {
            foreach (var (name, type) in new[] { ("a.test", "A"), ("a.test", "AAAA"), ("alias.test", "A"), ("mx.test", "MX"), ("txt.test", "TXT"),
                         ("_sip._udp.test", "SRV"), ("nope.test", "A") })
            {
                digs.Add(await Dig.RunAsync(server, dnsmasq.Port, name, type, tcp ? ["+tcp"] : []));
                expectedMessages += 2;
            }
        }
        digs.Add(await Dig.RunAsync("::1", dnsmasq.Port, Dnsmasq.BigTxt, "TXT", "+noedns"));
        expectedMessages += 4; // the truncated UDP exchange, then TCP

        // tshark dissects behind the capture: on a loaded machine its last rows can come many seconds later.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (rows.Count(r => r.Length == Fields.Length && r[0].Length > 0 && r[0] != MarkerHex) < expectedMessages && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Tshark.Interrupt(tshark.Id);
        await tshark.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await reading;
        var messages = rows.Where(r => r.Length == Fields.Length && r[0].Length > 0 && r[0] != MarkerHex).ToList();
        Assert.True(expectedMessages == messages.Count,
            $"tshark decoded {messages.Count} DNS messages, expected {expectedMessages}:\n{string.Join('\n', rows.Select(r => string.Join(';', r)))}");

        var reported = new List<Measurement>();
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            reported = seen.Where(m => m.Name is DnsMeasurements.Query or DnsMeasurements.Answer && m.Tags.Get("dns_id") != Marker.ToString()).ToList();
            if (reported.Count >= 2 * messages.Count) break;
            await Task.Delay(20);
        }
        var digPids = digs.Select(d => d.Pid.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var row in messages)
        {
            var id = Convert.ToUInt16(row[0], 16).ToString(CultureInfo.InvariantCulture);
            var response = row[1] is "1" or "True";
            var sport = row[2].Length > 0 ? row[2] : row[3];
            var same = reported.Where(m => m.Tags.Get("dns_id") == id && m.Tags.Get("s_port") == sport
                                           && m.Name == (response ? DnsMeasurements.Answer : DnsMeasurements.Query)).ToList();
            var what = $"tshark message {string.Join(';', row)}: probe saw {string.Join(" | ", same.Select(m => m.Tags.ToString()))}";
            Assert.True(same.Count == 2, what);
            var sender = Assert.Single(same, m => m.Tags.Get("direction") == "out");
            var receiver = Assert.Single(same, m => m.Tags.Get("direction") == "in");
            // The client side is a dig, the server side dnsmasq.
            Assert.True(response ? sender.Tags.Get("process_id") == dnsmasq.Pid.ToString() && digPids.Contains(receiver.Tags.Get("process_id")!)
                : digPids.Contains(sender.Tags.Get("process_id")!) && receiver.Tags.Get("process_id") == dnsmasq.Pid.ToString(), what);
            foreach (var m in same)
            {
                Assert.True(row[4] == m.Tags.Get("qname_str"), what);
                Assert.True(DnsNames.Type(ushort.Parse(row[5], CultureInfo.InvariantCulture)) == m.Tags.Get("qtype_str"), what);
                if (!response) continue;
                Assert.True(row[6] == m.Tags.Get("answer_count"), what);
                Assert.Equal(TsharkAnswers(row), ProbeAnswers(seen, m));
            }
        }
        Assert.Equal(2 * messages.Count, reported.Count);
        output.WriteLine($"tshark decoded {messages.Count} DNS messages; the probe reported {reported.Count} (each once by the sender and once by the receiver)");
    }

    // tshark lists each field's values joined by '|': the answer data as one sorted list, TXT strings concatenated.
    private static List<string> TsharkAnswers(string[] row)
    {
        var data = new List<string>();
        for (var i = 7; i < Fields.Length; i++)
        {
            if (row[i].Length == 0) continue;
            if (Fields[i] == "dns.txt") data.Add(row[i].Replace("|", "", StringComparison.Ordinal));
            else data.AddRange(row[i].Split('|'));
        }
        data.Sort(StringComparer.Ordinal);
        return data;
    }

    private static List<string> ProbeAnswers(IEnumerable<Measurement> seen, Measurement answer)
    {
        var data = seen.Where(r => r.Name == DnsMeasurements.AnswerRecord && r.Tags.Get("section") == "answer"
                                   && r.Tags.Get("dns_id") == answer.Tags.Get("dns_id") && r.Tags.Get("s_port") == answer.Tags.Get("s_port")
                                   && r.Tags.Get("direction") == answer.Tags.Get("direction"))
            .Select(r => r.Tags.Get("address") ?? r.Tags.Get("exchange_str") ?? r.Tags.Get("text_str") ?? r.Tags.Get("target_str") ?? "")
            .ToList();
        data.Sort(StringComparer.Ordinal);
        return data;
    }

    private const ushort Marker = 0xbeef;
    private const string MarkerHex = "0xbeef";

    // tshark says "Capturing on" a moment before it captures: queries with a marker id until it shows one and its
    // answer (before the probe is attached, so the probe never sees them).
    private static async Task MarkerSeenAsync(ConcurrentQueue<string[]> rows, int port)
    {
        byte[] query = [0xbe, 0xef, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1];
        using var udp = new System.Net.Sockets.UdpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!rows.Any(r => r.Length == Fields.Length && r[0] == MarkerHex && r[1] is "1" or "True"))
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("tshark shows no marker query after 20 s");
            await udp.SendAsync(query, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
            await Task.Delay(100);
        }
    }

    // -B 64: a 64 MiB capture buffer, so a dissector slowed by a loaded machine drops nothing in the kernel.
    private static Task<Process> StartTsharkAsync(int port) => Tshark.StartAsync(
        ["-B", "64", "-f", $"port {port}", "-d", $"udp.port=={port},dns", "-d", $"tcp.port=={port},dns",
         "-Y", "dns", "-T", "fields", "-E", "separator=;", "-E", "aggregator=|"], Fields);
}
