using System.Buffers.Binary;

namespace Ingrain.Probes.Tls;

/// <summary>How a try to read a hello ended.</summary>
public enum TlsParseResult
{
    /// <summary>A ClientHello or ServerHello, read whole.</summary>
    Hello,

    /// <summary>The bytes start a hello that is longer than they are: wait for the next segment, or count it as truncated.</summary>
    Incomplete,

    /// <summary>Not a TLS handshake record holding a hello, or a hello whose lengths disagree.</summary>
    Malformed,
}

/// <summary>
/// Reads the first handshake message of a TCP payload that starts with TLS records (content type 22). Span-based;
/// every length is checked against what is left at its level (record, handshake message, extensions, each
/// extension and each list inside one) and a disagreement makes the whole hello malformed, never an exception or a
/// read past the end. A handshake message fragmented over several records is joined (up to <see cref="MaxHandshake"/>).
/// </summary>
public static class TlsParser
{
    /// <summary>The longest handshake message joined from records (a ClientHello is rarely over 2 KiB; 16 KiB allows
    /// post-quantum key shares and padding with room to spare).</summary>
    public const int MaxHandshake = 16384;

    private const int MaxNames = 64;

    public static TlsParseResult TryParse(ReadOnlySpan<byte> payload, out TlsHello? hello)
    {
        hello = null;
        if (payload.Length < 5) return TlsParseResult.Incomplete;
        if (payload[0] != 0x16 || payload[1] != 3) return TlsParseResult.Malformed;
        var recordVersion = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
        int firstLength = BinaryPrimitives.ReadUInt16BigEndian(payload[3..]);
        if (firstLength == 0) return TlsParseResult.Malformed;
        var first = payload[5..];
        if (first.Length >= 4 && first.Length >= firstLength && 4 + ((first[1] << 16) | (first[2] << 8) | first[3]) <= firstLength)
            return Handshake(first[..firstLength], recordVersion, out hello); // the common case: one record holds the message
        var joined = Join(payload, out var result);
        return joined is null ? result : Handshake(joined, recordVersion, out hello);
    }

    // The handshake bytes of consecutive handshake records, up to the end of the first message.
    private static byte[]? Join(ReadOnlySpan<byte> payload, out TlsParseResult result)
    {
        var buffer = new List<byte>(Math.Min(payload.Length, MaxHandshake + 4));
        var offset = 0;
        while (true)
        {
            if (buffer.Count >= 4)
            {
                var need = 4 + ((buffer[1] << 16) | (buffer[2] << 8) | buffer[3]);
                if (need > MaxHandshake + 4)
                {
                    result = TlsParseResult.Malformed;
                    return null;
                }
                if (buffer.Count >= need)
                {
                    result = TlsParseResult.Hello;
                    return [.. buffer.GetRange(0, need)];
                }
            }
            if (payload.Length - offset < 5)
            {
                result = TlsParseResult.Incomplete;
                return null;
            }
            var header = payload[offset..];
            if (header[0] != 0x16 || header[1] != 3)
            {
                result = TlsParseResult.Malformed;
                return null;
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            if (length == 0 || buffer.Count + length > MaxHandshake + 4)
            {
                result = TlsParseResult.Malformed;
                return null;
            }
            var available = Math.Min(length, payload.Length - offset - 5);
            foreach (var b in payload.Slice(offset + 5, available)) buffer.Add(b);
            // A record cut short ends the bytes: the message is whole by now or incomplete.
            offset = available < length ? payload.Length : offset + 5 + length;
        }
    }

    private static TlsParseResult Handshake(ReadOnlySpan<byte> message, ushort recordVersion, out TlsHello? hello)
    {
        hello = null;
        if (message.Length < 4) return TlsParseResult.Malformed;
        var type = message[0];
        var length = (message[1] << 16) | (message[2] << 8) | message[3];
        if (type is not (1 or 2) || length > message.Length - 4) return TlsParseResult.Malformed;
        var body = new Reader(message.Slice(4, length));
        var ok = type == 1 ? Client(ref body, recordVersion, out hello) : Server(ref body, recordVersion, out hello);
        return ok ? TlsParseResult.Hello : TlsParseResult.Malformed;
    }

    private static bool Client(ref Reader r, ushort recordVersion, out TlsHello? hello)
    {
        hello = null;
        if (!r.U16(out var legacy) || !r.Skip(32) || !r.Vector8(out _) || !r.Vector16(out var suitesBytes) || suitesBytes.Length % 2 != 0
            || !r.Vector8(out var compression) || compression.IsEmpty)
            return false;
        var suites = U16List(suitesBytes);
        var extensions = new List<ushort>();
        var versions = new List<ushort>();
        var names = new List<string>();
        var alpn = new List<string>();
        var groups = new List<ushort>();
        var formats = new List<byte>();
        var sigs = new List<ushort>();
        if (!r.AtEnd)
        {
            if (!r.Vector16(out var all) || !r.AtEnd) return false;
            var e = new Reader(all);
            while (!e.AtEnd)
            {
                if (!e.U16(out var ext) || !e.Vector16(out var data)) return false;
                extensions.Add(ext);
                var d = new Reader(data);
                var ok = ext switch
                {
                    0 => ServerNames(ref d, names),
                    10 => d.Vector16(out var g) && g.Length % 2 == 0 && d.AtEnd && Add(groups, U16List(g)),
                    11 => d.Vector8(out var f) && d.AtEnd && Add(formats, [.. f]),
                    13 => d.Vector16(out var s) && s.Length % 2 == 0 && d.AtEnd && Add(sigs, U16List(s)),
                    16 => Protocols(ref d, alpn),
                    43 => d.Vector8(out var v) && v.Length % 2 == 0 && d.AtEnd && Add(versions, U16List(v)),
                    _ => true,
                };
                if (!ok) return false;
            }
        }
        hello = new TlsHello(true, recordVersion, legacy, suites, extensions, versions, names, alpn, groups, formats, sigs);
        return true;
    }

    private static bool Server(ref Reader r, ushort recordVersion, out TlsHello? hello)
    {
        hello = null;
        if (!r.U16(out var legacy) || !r.Skip(32) || !r.Vector8(out _) || !r.U16(out var suite) || !r.Skip(1)) return false;
        var extensions = new List<ushort>();
        var versions = new List<ushort>();
        var alpn = new List<string>();
        if (!r.AtEnd)
        {
            if (!r.Vector16(out var all) || !r.AtEnd) return false;
            var e = new Reader(all);
            while (!e.AtEnd)
            {
                if (!e.U16(out var ext) || !e.Vector16(out var data)) return false;
                extensions.Add(ext);
                var d = new Reader(data);
                var ok = ext switch
                {
                    16 => Protocols(ref d, alpn) && alpn.Count == 1,
                    43 => d.U16(out var v) && d.AtEnd && Add(versions, [v]),
                    _ => true,
                };
                if (!ok) return false;
            }
        }
        hello = new TlsHello(false, recordVersion, legacy, [suite], extensions, versions, [], alpn, [], [], []);
        return true;
    }

    private static bool ServerNames(ref Reader d, List<string> names)
    {
        if (!d.Vector16(out var list) || !d.AtEnd) return false;
        var l = new Reader(list);
        while (!l.AtEnd)
        {
            if (!l.U8(out var kind) || !l.Vector16(out var name) || name.IsEmpty) return false;
            if (kind == 0 && names.Count < MaxNames) names.Add(Text(name));
        }
        return true;
    }

    private static bool Protocols(ref Reader d, List<string> protocols)
    {
        if (!d.Vector16(out var list) || list.IsEmpty || !d.AtEnd) return false;
        var l = new Reader(list);
        while (!l.AtEnd)
        {
            if (!l.Vector8(out var name) || name.IsEmpty) return false;
            if (protocols.Count < MaxNames) protocols.Add(Text(name));
        }
        return true;
    }

    private static string Text(ReadOnlySpan<byte> bytes) => TlsText.Escape(bytes);

    private static ushort[] U16List(ReadOnlySpan<byte> bytes)
    {
        var values = new ushort[bytes.Length / 2];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
        return values;
    }

    private static bool Add<T>(List<T> list, T[] values)
    {
        list.AddRange(values);
        return true;
    }

    /// <summary>A cursor over a span; every read checks what is left.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool U8(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty) return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool U16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool Skip(int n)
        {
            if (_rest.Length < n) return false;
            _rest = _rest[n..];
            return true;
        }

        public bool Vector8(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.IsEmpty || _rest.Length - 1 < _rest[0]) return false;
            value = _rest.Slice(1, _rest[0]);
            _rest = _rest[(1 + value.Length)..];
            return true;
        }

        public bool Vector16(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < 2) return false;
            int n = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            if (_rest.Length - 2 < n) return false;
            value = _rest.Slice(2, n);
            _rest = _rest[(2 + n)..];
            return true;
        }
    }
}
