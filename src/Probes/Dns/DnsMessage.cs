namespace Ingrain.Probes.Dns;

/// <summary>The fixed 12-byte DNS header (RFC 1035 §4.1.1).</summary>
public readonly record struct DnsHeader(ushort Id, bool IsResponse, byte Opcode, bool Truncated, byte Rcode,
    ushort QuestionCount, ushort AnswerCount, ushort AuthorityCount, ushort AdditionalCount);

/// <summary>A question: the name as dig prints it without the final dot (the root is <c>.</c>), type and class.</summary>
public sealed record DnsQuestion(string Name, ushort Type, ushort Class);

public enum DnsSection : byte
{
    Answer,
    Authority,
    Additional,
}

/// <summary>
/// One resource record (OPT pseudo-records excluded: they become <see cref="DnsMessage.EdnsUdpSize"/>). <see cref="Data"/>
/// holds the type-specific fields as the tags docs/probes.md names (<c>address</c>, <c>target_str</c>, <c>mx_preference</c>…).
/// </summary>
public sealed record DnsRecord(DnsSection Section, string Name, ushort Type, ushort Class, uint Ttl, KeyValuePair<string, string>[] Data);

/// <summary>
/// A parsed DNS message: the header, the first question (null when there is none), the records when they were asked
/// for, and EDNS0's UDP payload size when an OPT record was present.
/// </summary>
/// <param name="Partial">The captured bytes ended inside the records (the packet was longer than the capture): the
/// records that were complete are here, the rest are not.</param>
public sealed record DnsMessage(DnsHeader Header, DnsQuestion? Question, IReadOnlyList<DnsRecord> Records, int? EdnsUdpSize, int Rcode, bool Partial);
