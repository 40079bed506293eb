using Ingrain.Probes.Dns;
using Xunit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>The DNS parser on messages built byte by byte: every record type, compression, EDNS0, and the malformed
/// shapes it must refuse (loops, forward pointers, overlong names, lengths past the end).</summary>
public sealed class DnsParserTests
{
    private static DnsMessage Parse(byte[] message, bool complete = true)
    {
        Assert.True(DnsParser.TryParse(message, withRecords: true, complete, out var parsed));
        return parsed!;
    }

    private static Dictionary<string, string> Data(DnsRecord r) => r.Data.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void An_answer_with_every_record_type_and_compressed_names_parses_to_the_right_data()
    {
        var message = new DnsMessageBuilder()
            .Header(0xabcd, response: true).Question("www.example.com", 1)
            .Record(0, "www.example.com", 5, 300, b => b.Name("web.example.com"))
            .A(0, "web.example.com", "192.0.2.7", 60)
            .A(0, "web.example.com", "2001:db8::7", 61)
            .Record(0, "example.com", 15, 62, b => b.U16(10).Name("mail.example.com"))
            .Record(0, "example.com", 16, 63, b => b.Text("v=spf1 ", "-all"))
            .Record(0, "_sip._udp.example.com", 33, 64, b => b.U16(1).U16(2).U16(5060).Name("sip.example.com"))
            .Record(0, "7.2.0.192.in-addr.arpa", 12, 65, b => b.Name("web.example.com"))
            .Record(1, "example.com", 2, 66, b => b.Name("ns1.example.com"))
            .Record(1, "example.com", 6, 67, b => b.Name("ns1.example.com").Name("hostmaster.example.com").U32(2026120401).U32(7200).U32(900).U32(1209600).U32(300))
            .Record(2, "example.com", 99, 68, b => b.Raw(1, 2, 3))
            .Opt(1232, extendedRcode: 0)
            .Build();
        var m = Parse(message);
        Assert.Equal((0xabcd, true, "www.example.com", (ushort)1), (m.Header.Id, m.Header.IsResponse, m.Question!.Name, m.Question.Type));
        Assert.Equal(1232, m.EdnsUdpSize);
        Assert.Equal(10, m.Records.Count); // OPT is not a record
        Assert.Equal("web.example.com", Data(m.Records[0])["target_str"]);
        Assert.Equal(("web.example.com", "192.0.2.7", 60u), (m.Records[1].Name, Data(m.Records[1])["address"], m.Records[1].Ttl));
        Assert.Equal("2001:db8::7", Data(m.Records[2])["address"]);
        Assert.Equal(("10", "mail.example.com"), (Data(m.Records[3])["mx_preference"], Data(m.Records[3])["exchange_str"]));
        Assert.Equal(("v=spf1 -all", "2"), (Data(m.Records[4])["text_str"], Data(m.Records[4])["text_count"]));
        var srv = Data(m.Records[5]);
        Assert.Equal(("1", "2", "5060", "sip.example.com"), (srv["srv_priority"], srv["srv_weight"], srv["srv_port"], srv["target_str"]));
        Assert.Equal("web.example.com", Data(m.Records[6])["target_str"]);
        Assert.Equal((DnsSection.Authority, "ns1.example.com"), (m.Records[7].Section, Data(m.Records[7])["target_str"]));
        var soa = Data(m.Records[8]);
        Assert.Equal(("ns1.example.com", "hostmaster.example.com", "2026120401", "7200", "900", "1209600", "300"),
            (soa["primary_ns"], soa["mailbox"], soa["serial"], soa["refresh"], soa["retry"], soa["expire"], soa["minimum_ttl"]));
        Assert.Equal((DnsSection.Additional, "3"), (m.Records[9].Section, Data(m.Records[9])["rdata_len"]));
        Assert.Equal("SPF", DnsNames.Type(m.Records[9].Type));
    }

    [Fact]
    public void The_same_message_without_compression_parses_the_same()
    {
        byte[] Build(bool compress) => new DnsMessageBuilder(compress).Header(1, true).Question("a.example.org", 15)
            .Record(0, "a.example.org", 15, 5, b => b.U16(5).Name("mx.example.org")).Build();
        var (compressed, plain) = (Build(true), Build(false));
        Assert.True(compressed.Length < plain.Length);
        Assert.Equal(Data(Parse(plain).Records[0]), Data(Parse(compressed).Records[0]));
    }

    [Fact]
    public void The_extended_rcode_of_an_opt_record_and_the_tc_bit_are_read()
    {
        var m = Parse(new DnsMessageBuilder().Header(2, true, rcode: 0, truncated: true).Question("x.test", 1).Opt(4096, extendedRcode: 1).Build());
        Assert.Equal(("BADVERS", true, 4096), (DnsNames.Rcode(m.Rcode), m.Header.Truncated, m.EdnsUdpSize));
        Assert.Equal("NXDOMAIN", DnsNames.Rcode(Parse(new DnsMessageBuilder().Header(3, true, rcode: 3).Question("x.test", 1).Build()).Rcode));
    }

    [Fact]
    public void Names_escape_dots_inside_labels_backslashes_and_unprintable_bytes_like_dig()
    {
        var message = new DnsMessageBuilder().Header(4, false).Build().Concat(new byte[] { 3, (byte)'a', (byte)'.', 0x07, 2, (byte)'\\', (byte)'z', 0, 0, 1, 0, 1 }).ToArray();
        message[5] = 1; // one question
        Assert.Equal(@"a\.\007.\\z", Parse(message).Question!.Name);
        Assert.Equal(".", Parse(new DnsMessageBuilder().Header(5, false).Question(".", 2).Build()).Question!.Name);
    }

    public static TheoryData<string, byte[]> MalformedNames => new()
    {
        { "pointer to itself", [0xC0, 12] },
        { "pointer forward", [0xC0, 20, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0] },
        { "two labels and a pointer back to the first (a loop)", [1, (byte)'a', 1, (byte)'b', 0xC0, 12] },
        { "pointer cut in half", [0xC0] },
        { "label longer than what follows", [10, (byte)'a', (byte)'b'] },
        { "extended label type 0x40", [0x41, (byte)'a', 0] },
        { "no terminating zero", [1, (byte)'a'] },
    };

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void Malformed_question_names_are_refused(string what, byte[] name)
    {
        var message = new DnsMessageBuilder().Header(6, false).Build().Concat(name).Concat(new byte[] { 0, 1, 0, 1 }).ToArray();
        message[5] = 1;
        Assert.False(DnsParser.TryParse(message, true, true, out _), what);
        Assert.False(DnsParser.TryParse(message, false, true, out _), what);
    }

    [Fact]
    public void A_name_longer_than_255_bytes_is_refused()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('x', 63), 4)); // 4 × 64 + 1 = 257 bytes
        Assert.False(DnsParser.TryParse(new DnsMessageBuilder().Header(7, false).Question(name, 1).Build(), true, true, out _));
        var fits = string.Join('.', Enumerable.Repeat(new string('x', 63), 3)) + "." + new string('y', 61); // 255 bytes
        Assert.Equal(fits, Parse(new DnsMessageBuilder().Header(7, false).Question(fits, 1).Build()).Question!.Name);
    }

    [Fact]
    public void An_rdata_length_past_the_end_or_a_name_running_out_of_its_rdata_is_malformed()
    {
        var tooLong = new DnsMessageBuilder().Header(8, true).Question("a.test", 1).A(0, "a.test", "10.0.0.1").Build();
        tooLong[^5] = 9; // rdlength 9 for 4 bytes
        Assert.False(DnsParser.TryParse(tooLong, true, true, out _));
        var cname = new DnsMessageBuilder(compress: false).Header(9, true).Question("c.test", 5)
            .Record(0, "c.test", 5, 1, b => b.Raw(1, (byte)'x')).Build(); // a label with no end inside the rdata
        Assert.False(DnsParser.TryParse(cname, true, true, out _));
        var a = new DnsMessageBuilder().Header(10, true).Question("a.test", 1).Record(0, "a.test", 1, 1, b => b.Raw(1, 2, 3)).Build();
        Assert.False(DnsParser.TryParse(a, true, true, out _)); // an A record of 3 bytes
    }

    [Fact]
    public void A_message_cut_inside_its_records_is_partial_when_the_capture_was_cut_and_malformed_when_not()
    {
        var full = new DnsMessageBuilder().Header(11, true).Question("a.test", 1).A(0, "a.test", "10.0.0.1").A(0, "a.test", "10.0.0.2").Build();
        var cut = full[..^3];
        Assert.False(DnsParser.TryParse(cut, true, complete: true, out _));
        var m = Parse(cut, complete: false);
        Assert.True(m.Partial);
        Assert.Equal("10.0.0.1", Assert.Single(m.Records).Data[0].Value);
        Assert.False(Parse(full, complete: false).Partial);
    }

    [Fact]
    public void Shorter_than_a_header_is_malformed_and_a_bare_header_is_a_message_without_question()
    {
        Assert.False(DnsParser.TryParse(new byte[11], true, true, out _));
        Assert.Null(Parse(new byte[12]).Question);
    }
}
