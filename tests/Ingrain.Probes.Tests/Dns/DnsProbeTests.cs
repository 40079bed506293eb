using System.Collections.Concurrent;
using Ingrain.Probes.Dns;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Dns.DnsTestKit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>
/// The DNS probe on the real kernel while dig (a child process) asks a real dnsmasq on loopback, UDP and TCP, IPv4 and
/// IPv6: each message is reported once by the socket that sent it (direction out) and once by the socket that received
/// it (in), with the process that owns that socket — dig for its query and answer, dnsmasq for the server's side.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class DnsProbeTests
{
    public static TheoryData<string, string> Transports => new()
    {
        { "127.0.0.1", "udp" }, { "::1", "udp" }, { "127.0.0.1", "tcp" }, { "::1", "tcp" },
    };

    [KernelFact]
    public Task A_records_over_udp_ipv4() => RecordTypes("127.0.0.1", "udp");

    [KernelFact]
    public Task Records_of_every_type_over_udp_ipv6() => RecordTypes("::1", "udp");

    [KernelFact]
    public Task Records_of_every_type_over_tcp_ipv4() => RecordTypes("127.0.0.1", "tcp");

    [KernelFact]
    public Task Records_of_every_type_over_tcp_ipv6() => RecordTypes("::1", "tcp");

    private static async Task RecordTypes(string server, string proto)
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = DnsProbe.Attach(Options(dnsmasq.Port), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        var family = server.Contains(':') ? "ipv6" : "ipv4";
        string[] options = proto == "tcp" ? ["+tcp"] : [];

        (string Name, string Type, string Rcode, (string Type, string Name, string Data)[] Records)[] cases =
        [
            ("a.test", "A", "NOERROR", [("A", "a.test", "address=127.0.0.5")]),
            ("a.test", "AAAA", "NOERROR", [("AAAA", "a.test", "address=fd00::5")]),
            ("alias.test", "A", "NOERROR", [("CNAME", "alias.test", "target_str=a.test"), ("A", "a.test", "address=127.0.0.5")]),
            ("mx.test", "MX", "NOERROR", [("MX", "mx.test", "mx_preference=10,exchange_str=mail.test")]),
            ("txt.test", "TXT", "NOERROR", [("TXT", "txt.test", "text_str=hello worldsecond,text_count=2")]),
            ("_sip._udp.test", "SRV", "NOERROR", [("SRV", "_sip._udp.test", "srv_priority=1,srv_weight=2,srv_port=5060,target_str=sip.test")]),
            ("nope.test", "A", "NXDOMAIN", []),
        ];
        foreach (var (name, type, rcode, records) in cases)
        {
            var dig = await Dig.RunAsync(server, dnsmasq.Port, name, type, options);
            Assert.Equal(rcode, dig.Status);
            var id = Assert.Single(dig.Ids);
            var what = $"{name} {type} over {proto} {server}";
            var mine = await WaitForAsync(seen, id, m =>
                m.Named(DnsMeasurements.Query, "out", dig.Pid).Any() && m.Named(DnsMeasurements.Query, "in", dnsmasq.Pid).Any()
                && m.Named(DnsMeasurements.Answer, "out", dnsmasq.Pid).Any() && m.Named(DnsMeasurements.Answer, "in", dig.Pid).Any()
                && m.Named(DnsMeasurements.AnswerRecord, "in", dig.Pid).Count() == records.Length, what);

            // Once per socket and direction: the sender's egress and the receiver's ingress, never a socket twice.
            var queryOut = Assert.Single(mine.Named(DnsMeasurements.Query, "out", dig.Pid));
            var queryIn = Assert.Single(mine.Named(DnsMeasurements.Query, "in", dnsmasq.Pid));
            var answerOut = Assert.Single(mine.Named(DnsMeasurements.Answer, "out", dnsmasq.Pid));
            var answerIn = Assert.Single(mine.Named(DnsMeasurements.Answer, "in", dig.Pid));
            Assert.Equal(4, mine.Count(m => m.Name is DnsMeasurements.Query or DnsMeasurements.Answer));

            foreach (var m in new[] { queryOut, queryIn, answerOut, answerIn })
            {
                Assert.Equal((name, type, "IN", proto, family), (m.Tags.Get("qname_str"), m.Tags.Get("qtype_str"), m.Tags.Get("qclass_str"),
                    m.Tags.Get("proto"), m.Tags.Get("family")));
                var fromClient = m.Name == DnsMeasurements.Query;
                Assert.Equal(server, fromClient ? m.Tags.Get("d_ip") : m.Tags.Get("s_ip"));
                Assert.Equal(dnsmasq.Port.ToString(), fromClient ? m.Tags.Get("d_port") : m.Tags.Get("s_port"));
            }
            Assert.Equal("dig", queryOut.Tags.Get("process_str"));
            Assert.Equal("dnsmasq", answerOut.Tags.Get("process_str"));
            Assert.Equal(queryOut.Tags.Get("s_port"), answerIn.Tags.Get("d_port"));
            foreach (var answer in new[] { answerOut, answerIn })
            {
                Assert.Equal(rcode, answer.Tags.Get("rcode_str"));
                Assert.Equal(records.Length.ToString(), answer.Tags.Get("answer_count"));
                Assert.InRange(long.Parse(answer.Tags.Get("latency_ns")!), 1, 10_000_000_000);
            }
            Assert.Null(queryOut.Tags.Get("rcode_str"));

            foreach (var direction in new[] { ("in", dig.Pid), ("out", dnsmasq.Pid) })
            {
                var got = mine.Named(DnsMeasurements.AnswerRecord, direction.Item1, direction.Item2).Where(r => r.Tags.Get("section") == "answer").ToList();
                Assert.Equal(records.Length, got.Count);
                for (var i = 0; i < records.Length; i++)
                {
                    var r = got[i];
                    Assert.Equal((records[i].Type, records[i].Name, "300"), (r.Tags.Get("record_type"), r.Tags.Get("name_str"), r.Tags.Get("ttl_id")));
                    foreach (var pair in records[i].Data.Split(','))
                    {
                        var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
                        Assert.True(value == r.Tags.Get(key), $"{what}: {key} = {r.Tags.Get(key)}, expected {value} ({r.Tags})");
                    }
                }
            }
        }
        await probe.DisposeAsync();
        Assert.Equal((0L, 0L, 0L), (probe.Counters.Malformed, probe.Counters.KernelLost, probe.Counters.HandlerFailures));
        Assert.Equal((0L, 0L, 0L), (probe.DnsCounters.Duplicates, probe.DnsCounters.Unowned, probe.DnsCounters.Truncated));
    }

    [KernelFact]
    public async Task A_truncated_udp_answer_is_reported_with_truncated_and_digs_retry_over_tcp_too()
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = DnsProbe.Attach(Options(dnsmasq.Port), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        var dig = await Dig.RunAsync("127.0.0.1", dnsmasq.Port, Dnsmasq.BigTxt, "TXT", "+noedns");
        Assert.Contains("Truncated, retrying in TCP mode", dig.Output);
        var tcpId = Assert.Single(dig.Ids);

        var tcp = await WaitForAsync(seen, tcpId, m => m.Named(DnsMeasurements.AnswerRecord, "in", dig.Pid).Any(), "the answer over TCP");
        var record = Assert.Single(tcp.Named(DnsMeasurements.AnswerRecord, "in", dig.Pid));
        Assert.Equal(("TXT", Dnsmasq.BigText, "10", "tcp"), (record.Tags.Get("record_type"), record.Tags.Get("text_str"), record.Tags.Get("text_count"), record.Tags.Get("proto")));
        // The UDP answer before it: truncated, no records, same question, from dnsmasq to the same dig.
        var udp = seen.Named(DnsMeasurements.Answer, "in", dig.Pid).Single(m => m.Tags.Get("proto") == "udp");
        Assert.Equal(("true", "0", Dnsmasq.BigTxt, "TXT"), (udp.Tags.Get("truncated"), udp.Tags.Get("answer_count"), udp.Tags.Get("qname_str"), udp.Tags.Get("qtype_str")));
        Assert.NotNull(udp.Tags.Get("latency_ns"));
        Assert.Null(seen.Named(DnsMeasurements.Answer, "in", dig.Pid).Single(m => m.Tags.Get("proto") == "tcp").Tags.Get("truncated"));
        Assert.Single(seen.Named(DnsMeasurements.Query, "out", dig.Pid), m => m.Tags.Get("proto") == "udp");
        Assert.Single(seen.Named(DnsMeasurements.Query, "in", dnsmasq.Pid), m => m.Tags.Get("proto") == "tcp");
    }

    [KernelFact]
    public async Task A_tcp_query_split_over_three_segments_is_reassembled_and_reported_once()
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = DnsProbe.Attach(Options(dnsmasq.Port), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        // This process is the client: the 2-byte length, then 5 bytes of the message, then the rest, one segment each
        // (Nagle off: each write leaves at once; the reassembly count below shows they did).
        byte[] query = [0x4b, 0x1d, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1];
        using var client = new System.Net.Sockets.TcpClient { NoDelay = true };
        await client.ConnectAsync(System.Net.IPAddress.Loopback, dnsmasq.Port);
        var stream = client.GetStream();
        foreach (var part in new[] { new byte[] { 0, (byte)query.Length }, query[..5], query[5..] })
        {
            await stream.WriteAsync(part);
            await stream.FlushAsync();
        }
        var answer = new byte[512];
        Assert.True(await stream.ReadAsync(answer) > 12);

        var mine = await WaitForAsync(seen, 0x4b1d, m => m.Named(DnsMeasurements.Query, "in", dnsmasq.Pid).Any()
            && m.Named(DnsMeasurements.Answer, "in", Environment.ProcessId).Any(), "the split query and its answer");
        var query1 = Assert.Single(mine.Named(DnsMeasurements.Query, "out", Environment.ProcessId));
        Assert.Equal(("a.test", "A", "tcp"), (query1.Tags.Get("qname_str"), query1.Tags.Get("qtype_str"), query1.Tags.Get("proto")));
        Assert.Single(mine.Named(DnsMeasurements.Query, "in", dnsmasq.Pid));
        Assert.Equal("127.0.0.5", Assert.Single(mine.Named(DnsMeasurements.AnswerRecord, "in", Environment.ProcessId)).Tags.Get("address"));
        await probe.DisposeAsync();
        // Both ends saw the three segments: each side's copy of the query was put together from them.
        Assert.True(probe.DnsCounters.TcpReassembled >= 2, $"reassembled {probe.DnsCounters.TcpReassembled}");
        Assert.Equal((0L, 0L), (probe.Counters.Malformed, probe.DnsCounters.Truncated));
    }

    [KernelFact]
    public async Task Only_the_chosen_measurements_are_reported_and_the_ignored_processes_not_at_all()
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        var seen = new ConcurrentQueue<Measurement>();
        // dnsmasq is dropped in the kernel (as the agent itself is by default), a process name in user space.
        var options = Options(dnsmasq.Port) with
        {
            Measurements = new HashSet<string> { DnsMeasurements.Answer }, IgnoredProcessId = dnsmasq.Pid, IgnoredProcesses = new HashSet<string> { "python3" },
        };
        await using var probe = DnsProbe.Attach(options, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        // The ignored exchanges first: by the time dig's answer (the last message) is out, theirs were read before it.
        var python = System.Diagnostics.Process.Start("python3", ["-c",
            $"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5); s.sendto(bytes.fromhex('777701000001000000000000016104746573740000010001'), ('127.0.0.1', {dnsmasq.Port})); s.recv(512)"])!;
        await python.WaitForExitAsync();
        Assert.Equal(0, python.ExitCode);
        var dig = await Dig.RunAsync("::1", dnsmasq.Port, "a.test", "AAAA", "+tcp");
        await WaitForAsync(seen, Assert.Single(dig.Ids), m => m.Named(DnsMeasurements.Answer, "in", dig.Pid).Any(), "dig's answer");
        Assert.All(seen, m => Assert.Equal((DnsMeasurements.Answer, dig.Pid.ToString()), (m.Name, m.Tags.Get("process_id"))));
        Assert.Single(seen);
    }
}
