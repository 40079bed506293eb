using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Ingrain.Probes.Dns;

/// <summary>
/// Parses one DNS message (RFC 1035, EDNS0 from RFC 6891) from a span, trusting no count, length or pointer: every
/// read is bounds-checked, a compression pointer must point before the start of the labels it was reached from (so
/// pointer chains strictly move backwards and cannot loop), a name is at most 255 bytes on the wire and 127 labels,
/// and an rdata name must end inside its rdata. Anything else is malformed: <see cref="TryParse"/> returns false.
/// Allocates only the strings it returns and the record list when records are asked for.
/// </summary>
public static class DnsParser
{
    public const int HeaderSize = 12;

    /// <summary>TXT data longer than this (in characters, after escaping) is cut here.</summary>
    public const int MaxTextChars = 1024;

    private const int MaxNameWire = 255;
    private const int MaxNameChars = MaxNameWire * 4; // every byte escaped as \DDD

    /// <param name="message">The message bytes (for TCP: after the 2-byte length).</param>
    /// <param name="withRecords">Parse the records' data (else they are only walked, for EDNS0 and validation).</param>
    /// <param name="complete">False when <paramref name="message"/> is the start of a longer message (the capture was
    /// cut): the records that end inside it are returned, and running out of bytes after the question is not an error.</param>
    public static bool TryParse(ReadOnlySpan<byte> message, bool withRecords, bool complete, out DnsMessage? parsed)
    {
        parsed = null;
        if (message.Length < HeaderSize) return false;
        var flags = message[2];
        var header = new DnsHeader(U16(message), (flags & 0x80) != 0, (byte)((flags >> 3) & 0xF), (flags & 0x02) != 0,
            (byte)(message[3] & 0xF), U16(message[4..]), U16(message[6..]), U16(message[8..]), U16(message[10..]));
        var offset = HeaderSize;
        DnsQuestion? question = null;
        for (var i = 0; i < header.QuestionCount; i++)
        {
            if (!TryReadName(message, ref offset, i == 0, out var name) || offset + 4 > message.Length) return false;
            if (i == 0) question = new DnsQuestion(name!, U16(message[offset..]), U16(message[(offset + 2)..]));
            offset += 4;
        }

        var records = withRecords ? new List<DnsRecord>() : null;
        int? edns = null;
        var rcode = (int)header.Rcode;
        var partial = false;
        var sections = (header.AnswerCount, header.AuthorityCount, header.AdditionalCount);
        for (var s = 0; s < 3 && !partial; s++)
        {
            var count = s switch { 0 => sections.AnswerCount, 1 => sections.AuthorityCount, _ => sections.AdditionalCount };
            for (var i = 0; i < count; i++)
            {
                var start = offset;
                if (!TryReadName(message, ref offset, withRecords, out var name) || offset + 10 > message.Length)
                {
                    if (complete) return false;
                    partial = true;
                    offset = start;
                    break;
                }
                var type = U16(message[offset..]);
                var @class = U16(message[(offset + 2)..]);
                var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
                int length = U16(message[(offset + 8)..]);
                offset += 10;
                if (offset + length > message.Length)
                {
                    if (complete) return false;
                    partial = true;
                    break;
                }
                if (type == DnsNames.TypeOpt)
                {
                    // OPT: the class is the sender's UDP payload size, the TTL's top byte the rcode's upper 8 bits.
                    if (s != 2) return false;
                    edns = @class;
                    rcode |= (int)(ttl >> 24) << 4;
                }
                else if (records is not null)
                {
                    if (!TryReadData(message, offset, length, type, out var data)) return false;
                    records.Add(new DnsRecord((DnsSection)s, name!, type, @class, ttl, data));
                }
                else if (!IsValidData(message, offset, length, type))
                {
                    return false;
                }
                offset += length;
            }
        }
        parsed = new DnsMessage(header, question, records ?? (IReadOnlyList<DnsRecord>)[], edns, rcode, partial);
        return true;
    }

    private static ushort U16(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt32BigEndian(b);

    /// <summary>
    /// Reads a (possibly compressed) name at <paramref name="offset"/>, moving it past the name's bytes in place (a
    /// pointer ends them). <paramref name="name"/> is built only when <paramref name="build"/>; null otherwise.
    /// </summary>
    internal static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, bool build, out string? name)
    {
        name = null;
        Span<char> chars = build ? stackalloc char[MaxNameChars] : default;
        var written = 0;
        var wire = 0;
        var position = offset;
        var segmentStart = offset; // where the labels being read began: a pointer must point before it
        var end = -1;              // where the name ends in the original place, once a pointer was followed
        while (true)
        {
            if (position >= message.Length) return false;
            var length = message[position];
            if (length == 0)
            {
                if (end < 0) end = position + 1;
                break;
            }
            switch (length & 0xC0)
            {
                case 0xC0:
                {
                    if (position + 1 >= message.Length) return false;
                    var target = ((length & 0x3F) << 8) | message[position + 1];
                    if (target >= segmentStart) return false; // forward or into itself: a loop or garbage
                    if (end < 0) end = position + 2;
                    position = segmentStart = target;
                    continue;
                }
                case 0x00:
                    break;
                default:
                    return false; // 0x40/0x80: extended label types (obsolete, never in practice)
            }
            wire += length + 1;
            if (wire + 1 > MaxNameWire || position + 1 + length > message.Length) return false;
            if (build)
            {
                if (written > 0) chars[written++] = '.';
                written += Escape(message.Slice(position + 1, length), chars[written..], escapeDot: true);
            }
            position += 1 + length;
        }
        offset = end;
        if (build) name = written == 0 ? "." : new string(chars[..written]);
        return true;
    }

    /// <summary>Printable ASCII as is, <c>\</c> (and <c>.</c> inside a label) escaped with a backslash, any other byte as <c>\DDD</c>, as dig prints them.</summary>
    private static int Escape(ReadOnlySpan<byte> bytes, Span<char> into, bool escapeDot)
    {
        var n = 0;
        foreach (var b in bytes)
        {
            if (b is (byte)'\\' || (escapeDot && b == (byte)'.') || (!escapeDot && b == (byte)'"'))
            {
                into[n++] = '\\';
                into[n++] = (char)b;
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                into[n++] = (char)b;
            }
            else
            {
                into[n++] = '\\';
                into[n++] = (char)('0' + b / 100);
                into[n++] = (char)('0' + b / 10 % 10);
                into[n++] = (char)('0' + b % 10);
            }
        }
        return n;
    }

    /// <summary>A name inside rdata: read, and it must end inside the rdata.</summary>
    private static bool TryRdataName(ReadOnlySpan<byte> message, ref int offset, int end, bool build, out string? name) =>
        TryReadName(message, ref offset, build, out name) && offset <= end;

    private static bool IsValidData(ReadOnlySpan<byte> message, int offset, int length, ushort type) =>
        TryData(message, offset, length, type, build: false, out _);

    private static bool TryReadData(ReadOnlySpan<byte> message, int offset, int length, ushort type, out KeyValuePair<string, string>[] data) =>
        TryData(message, offset, length, type, build: true, out data);

    private static bool TryData(ReadOnlySpan<byte> message, int offset, int length, ushort type, bool build, out KeyValuePair<string, string>[] data)
    {
        data = [];
        var end = offset + length;
        var rdata = message.Slice(offset, length);
        string? a, b;
        switch (type)
        {
            case DnsNames.TypeA or DnsNames.TypeAaaa:
                if (length != (type == DnsNames.TypeA ? 4 : 16)) return false;
                if (build) data = [new("address", new IPAddress(rdata).ToString())];
                return true;
            case DnsNames.TypeCname or DnsNames.TypeNs or DnsNames.TypePtr or DnsNames.TypeDname:
                if (!TryRdataName(message, ref offset, end, build, out a) || offset != end) return false;
                if (build) data = [new("target_str", a!)];
                return true;
            case DnsNames.TypeMx:
            {
                if (length < 3) return false;
                var preference = U16(rdata);
                offset += 2;
                if (!TryRdataName(message, ref offset, end, build, out a) || offset != end) return false;
                if (build) data = [new("mx_preference", Num(preference)), new("exchange_str", a!)];
                return true;
            }
            case DnsNames.TypeSrv:
            {
                if (length < 7) return false;
                var (priority, weight, port) = (U16(rdata), U16(rdata[2..]), U16(rdata[4..]));
                offset += 6;
                if (!TryRdataName(message, ref offset, end, build, out a) || offset != end) return false;
                if (build) data = [new("srv_priority", Num(priority)), new("srv_weight", Num(weight)), new("srv_port", Num(port)), new("target_str", a!)];
                return true;
            }
            case DnsNames.TypeSoa:
            {
                if (!TryRdataName(message, ref offset, end, build, out a) || !TryRdataName(message, ref offset, end, build, out b) || end - offset != 20)
                    return false;
                if (build)
                {
                    var f = message.Slice(offset, 20);
                    data = [new("primary_ns", a!), new("mailbox", b!), new("serial", Num(U32(f))), new("refresh", Num(U32(f[4..]))),
                        new("retry", Num(U32(f[8..]))), new("expire", Num(U32(f[12..]))), new("minimum_ttl", Num(U32(f[16..])))];
                }
                return true;
            }
            case DnsNames.TypeTxt:
                return TryText(rdata, build, ref data);
            default:
                if (build) data = [new("rdata_len", Num((uint)length))];
                return true;
        }
    }

    /// <summary>TXT: one or more character-strings, concatenated (as SPF and DKIM readers join them), cut at <see cref="MaxTextChars"/>.</summary>
    private static bool TryText(ReadOnlySpan<byte> rdata, bool build, ref KeyValuePair<string, string>[] data)
    {
        if (rdata.Length == 0) return false;
        Span<char> chars = build ? stackalloc char[MaxTextChars + 4] : default;
        var written = 0;
        var strings = 0;
        for (var i = 0; i < rdata.Length;)
        {
            int length = rdata[i];
            if (i + 1 + length > rdata.Length) return false;
            if (build)
            {
                foreach (var one in rdata.Slice(i + 1, length))
                {
                    if (written >= MaxTextChars) break;
                    written += Escape([one], chars[written..], escapeDot: false);
                }
            }
            strings++;
            i += 1 + length;
        }
        if (build) data = [new("text_str", new string(chars[..Math.Min(written, MaxTextChars)])), new("text_count", Num((uint)strings))];
        return true;
    }

    private static string Num(uint n) => n.ToString(CultureInfo.InvariantCulture);
}
