using System.Globalization;
using Ingrain.Probes.Network;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Dns;

/// <summary>One DNS message as one local socket saw it: who, where, which way, what, and how long the answer took.</summary>
/// <param name="Endpoints">The packet's source (<see cref="SocketTuple.Local"/>, tags <c>s_</c>) and destination (<c>d_</c>).</param>
/// <param name="Outbound">Sent by the local socket (<c>direction = out</c>); else received by it (<c>in</c>).</param>
/// <param name="Owner">The local socket's process: the client that asked or got the answer, or the local server that answered.</param>
/// <param name="LatencyNs">Answers only: since the matching query on the same socket, when it was seen.</param>
public sealed record DnsExchange(SocketOwner? Owner, SocketTuple Endpoints, bool Outbound, DnsMessage Message, long? LatencyNs, ulong Cookie)
{
    internal List<KeyValuePair<string, string>> CommonTags(int extra)
    {
        var pairs = new List<KeyValuePair<string, string>>(20 + extra);
        NetworkTags.AddOwner(pairs, Owner);
        NetworkTags.AddTuple(pairs, Endpoints);
        pairs.Add(new("dns_id", Message.Header.Id.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("direction", Outbound ? "out" : "in"));
        var q = Message.Question;
        pairs.Add(new("qname_str", q?.Name ?? ""));
        pairs.Add(new("qtype_str", q is null ? "" : DnsNames.Type(q.Type)));
        pairs.Add(new("qclass_str", q is null ? "" : DnsNames.Class(q.Class)));
        return pairs;
    }
}

/// <summary><c>dns.query</c> or <c>dns.answer</c>: a counter of 1 with the message's tags (docs/probes.md).</summary>
public sealed record DnsMessageEvent : Measurement
{
    public DnsMessageEvent(long timestamp, DnsExchange exchange)
        : base(timestamp, MeasurementKind.Counter, exchange.Message.Header.IsResponse ? DnsMeasurements.Answer : DnsMeasurements.Query, MeasurementValue.Count(1)) =>
        Exchange = exchange;

    public DnsExchange Exchange { get; init; }

    protected override Tags BuildTags()
    {
        var m = Exchange.Message;
        var pairs = Exchange.CommonTags(6);
        if (m.Header.IsResponse)
        {
            pairs.Add(new("rcode_str", DnsNames.Rcode(m.Rcode)));
            pairs.Add(new("answer_count", m.Header.AnswerCount.ToString(CultureInfo.InvariantCulture)));
            if (Exchange.LatencyNs is { } latency) pairs.Add(new("latency_ns", latency.ToString(CultureInfo.InvariantCulture)));
            if (m.Header.Truncated) pairs.Add(new("truncated", "true"));
        }
        if (m.EdnsUdpSize is { } edns) pairs.Add(new("edns_size", edns.ToString(CultureInfo.InvariantCulture)));
        if (m.Partial) pairs.Add(new("partial", "true"));
        return Tags.FromArray([.. pairs]);
    }
}

/// <summary><c>dns.answer_record</c>: one record of an answer (any section but OPT), with its type-specific data.</summary>
public sealed record DnsRecordEvent : Measurement
{
    public DnsRecordEvent(long timestamp, DnsExchange exchange, DnsRecord record)
        : base(timestamp, MeasurementKind.Counter, DnsMeasurements.AnswerRecord, MeasurementValue.Count(1))
    {
        Exchange = exchange;
        Record = record;
    }

    public DnsExchange Exchange { get; init; }

    public DnsRecord Record { get; init; }

    protected override Tags BuildTags()
    {
        var pairs = Exchange.CommonTags(6 + Record.Data.Length);
        pairs.Add(new("record_type", DnsNames.Type(Record.Type)));
        pairs.Add(new("name_str", Record.Name));
        pairs.Add(new("ttl_id", Record.Ttl.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("section", Record.Section switch { DnsSection.Answer => "answer", DnsSection.Authority => "authority", _ => "additional" }));
        if (Record.Class != 1) pairs.Add(new("class_str", DnsNames.Class(Record.Class)));
        pairs.AddRange(Record.Data);
        return Tags.FromArray([.. pairs]);
    }
}
