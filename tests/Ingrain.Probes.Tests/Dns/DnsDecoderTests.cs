using System.Collections.Concurrent;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Sockets;
using Xunit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>The decoder on packet records: owner hold, duplicates, latency per socket, switches, ignored processes, TCP framing.</summary>
public sealed class DnsDecoderTests
{
    private static readonly byte[] Query = new DnsMessageBuilder().Header(7, false).Question("a.test", 1).Build();
    private static readonly byte[] Answer = new DnsMessageBuilder().Header(7, true).Question("a.test", 1).A(0, "a.test", "10.1.2.3").Build();

    private readonly List<Measurement> _seen = [];

    private static DnsDecoder Decoder(DnsProbeOptions? options = null, Func<ulong, SocketOwner?>? ownerOf = null) =>
        new(new BootClock(), options ?? ProbeSettings.Dns, ownerOf ?? (_ => null));

    [Fact]
    public void A_message_without_owner_waits_and_goes_out_with_the_owner_a_later_packet_of_its_socket_names()
    {
        var decoder = Decoder();
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: false, bootNs: 100, owner: null), _seen.Add);
        Assert.Empty(_seen);
        Assert.Equal(1, decoder.Held);
        decoder.Decode(TestPackets.Record(Answer, cookie: 1, outbound: true, bootNs: 250, owner: 99, comm: "dnsmasq"), _seen.Add);
        Assert.Equal(0, decoder.Held);
        Assert.All(_seen, m => Assert.Equal(("99", "dnsmasq"), (m.Tags.Get("process_id"), m.Tags.Get("process_str"))));
        Assert.Equal([DnsMeasurements.Query, DnsMeasurements.Answer, DnsMeasurements.AnswerRecord], _seen.Select(m => m.Name));
        Assert.Equal("150", _seen[1].Tags.Get("latency_ns")); // the held query's time still counts
        Assert.Equal(0, decoder.Unowned);
    }

    [Fact]
    public void A_held_message_takes_its_owner_from_the_owner_map_or_goes_out_unowned_after_the_wait()
    {
        SocketOwner? known = null;
        var decoder = Decoder(ProbeSettings.Dns with { OwnerWait = TimeSpan.FromHours(1) }, _ => known);
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: false, bootNs: 1, owner: null), _seen.Add);
        decoder.Decode(TestPackets.Record(Query, cookie: 2, outbound: false, bootNs: 2, owner: null), _seen.Add);
        decoder.Tick(_seen.Add);
        Assert.Empty(_seen);
        known = new SocketOwner(55, 55, 0, "named", "named", SocketOwnerHook.Accept, 0);
        decoder.Tick(_seen.Add);
        Assert.Equal(2, _seen.Count);
        Assert.All(_seen, m => Assert.Equal("55", m.Tags.Get("process_id")));

        var waiting = Decoder(ProbeSettings.Dns with { OwnerWait = TimeSpan.FromHours(1) });
        waiting.Decode(TestPackets.Record(Query, cookie: 3, outbound: false, bootNs: 1, owner: null), _seen.Add);
        waiting.Tick(_seen.Add, all: true);
        Assert.Equal(("0", ""), (_seen[^1].Tags.Get("process_id"), _seen[^1].Tags.Get("process_str")));
        Assert.Equal(1, waiting.Unowned);
    }

    [Fact]
    public void The_same_message_twice_on_one_socket_and_direction_is_one_measurement_but_each_socket_reports_its_own()
    {
        var decoder = Decoder();
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: true, bootNs: 1_000), _seen.Add);
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: true, bootNs: 2_000), _seen.Add); // a retransmit
        decoder.Decode(TestPackets.Record(Query, cookie: 2, outbound: false, bootNs: 3_000, owner: 99), _seen.Add); // the server's copy
        Assert.Equal(2, _seen.Count);
        Assert.Equal(1, decoder.Duplicates);
        Assert.Equal(["out", "in"], _seen.Select(m => m.Tags.Get("direction")));
        // After the window the same bytes are a new message (a retry).
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: true, bootNs: 2_000_000_000), _seen.Add);
        Assert.Equal(3, _seen.Count);
    }

    [Fact]
    public void Latency_comes_from_the_same_sockets_query_only()
    {
        var decoder = Decoder();
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: true, bootNs: 1_000), _seen.Add);
        decoder.Decode(TestPackets.Record(Answer, cookie: 9, outbound: false, bootNs: 5_000), _seen.Add);
        decoder.Decode(TestPackets.Record(Answer, cookie: 1, outbound: false, bootNs: 6_000), _seen.Add);
        var answers = _seen.Where(m => m.Name == DnsMeasurements.Answer).ToList();
        Assert.Null(answers[0].Tags.Get("latency_ns"));
        Assert.Equal("5000", answers[1].Tags.Get("latency_ns"));
    }

    [Fact]
    public void Only_the_chosen_measurements_are_emitted_and_ignored_processes_not_at_all()
    {
        var decoder = Decoder(ProbeSettings.Dns with { Measurements = new HashSet<string> { DnsMeasurements.AnswerRecord }, IgnoredProcesses = new HashSet<string> { "sshd" } });
        decoder.Decode(TestPackets.Record(Query, cookie: 1, outbound: true, bootNs: 1), _seen.Add);
        decoder.Decode(TestPackets.Record(Answer, cookie: 1, outbound: false, bootNs: 2), _seen.Add);
        decoder.Decode(TestPackets.Record(Answer, cookie: 3, outbound: false, bootNs: 3, comm: "sshd"), _seen.Add);
        var record = Assert.Single(_seen);
        Assert.Equal(("dns.answer_record", "10.1.2.3", "A", "a.test"), (record.Name, record.Tags.Get("address"), record.Tags.Get("record_type"), record.Tags.Get("qname_str")));
    }

    [Fact]
    public void Two_tcp_messages_in_one_segment_and_one_split_over_two_are_framed_by_their_lengths()
    {
        var decoder = Decoder();
        var two = TestPackets.Tcp(Query).Concat(TestPackets.Tcp(new DnsMessageBuilder().Header(8, false).Question("b.test", 28).Build())).ToArray();
        decoder.Decode(TestPackets.Record(two, cookie: 1, outbound: true, bootNs: 1, tcp: true, seq: 1000), _seen.Add);
        Assert.Equal(["a.test", "b.test"], _seen.Select(m => m.Tags.Get("qname_str")));
        var framed = TestPackets.Tcp(Answer);
        decoder.Decode(TestPackets.Record(framed[..9], cookie: 1, outbound: false, bootNs: 2, tcp: true, seq: 5000), _seen.Add);
        Assert.Equal(2, _seen.Count);
        decoder.Decode(TestPackets.Record(framed[9..], cookie: 1, outbound: false, bootNs: 3, tcp: true, seq: 5009), _seen.Add);
        Assert.Equal("10.1.2.3", _seen.Single(m => m.Name == DnsMeasurements.AnswerRecord).Tags.Get("address"));
        Assert.Equal((1, 0, 0), (decoder.Reassembled, decoder.Truncated, decoder.Malformed));
        // A second part that does not follow (a gap) is not glued on: the first part is counted as truncated.
        decoder.Decode(TestPackets.Record(framed[..9], cookie: 2, outbound: false, bootNs: 4, tcp: true, seq: 100), _seen.Add);
        decoder.Decode(TestPackets.Record(framed[9..], cookie: 2, outbound: false, bootNs: 5, tcp: true, seq: 999), _seen.Add);
        Assert.Equal(1, decoder.Truncated);
    }

    [Fact]
    public void A_payload_cut_by_the_capture_is_parsed_as_far_as_it_goes_and_counted_as_truncated()
    {
        var decoder = Decoder();
        var answer = new DnsMessageBuilder().Header(9, true).Question("a.test", 1).A(0, "a.test", "10.0.0.1").A(0, "a.test", "10.0.0.2").Build();
        decoder.Decode(TestPackets.Record(answer[..^2], cookie: 1, outbound: false, bootNs: 1, wireLength: answer.Length), _seen.Add);
        Assert.Equal("true", _seen.Single(m => m.Name == DnsMeasurements.Answer).Tags.Get("partial"));
        Assert.Equal("10.0.0.1", _seen.Single(m => m.Name == DnsMeasurements.AnswerRecord).Tags.Get("address"));
        Assert.Equal((1, 0), (decoder.Truncated, decoder.Malformed));
    }

    [Fact]
    public void Records_that_are_not_dns_packet_records_are_malformed()
    {
        var decoder = Decoder();
        var good = TestPackets.Record(Query, 1, true, 1);
        decoder.Decode(good[..10], _seen.Add);              // too short
        var wrongOp = (byte[])good.Clone();
        wrongOp[0] = (byte)OpCode.Connection;
        decoder.Decode(wrongOp, _seen.Add);
        decoder.Decode(good[..^1], _seen.Add);              // cap_len disagrees with the record's length
        decoder.Decode(TestPackets.Record([1, 2, 3], 1, true, 1), _seen.Add); // not a DNS message
        Assert.Empty(_seen);
        Assert.Equal(4, decoder.Malformed);
    }
}
