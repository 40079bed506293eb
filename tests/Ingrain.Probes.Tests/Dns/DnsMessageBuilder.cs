using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>Writes DNS messages for parser tests, compressing names (RFC 1035 §4.1.4) when asked.</summary>
internal sealed class DnsMessageBuilder(bool compress = true)
{
    private readonly List<byte> _bytes = [];
    private readonly Dictionary<string, int> _names = new(StringComparer.OrdinalIgnoreCase);
    private ushort _qd, _an, _ns, _ar;
    private ushort _id;
    private ushort _flags;

    public DnsMessageBuilder Header(ushort id, bool response, byte rcode = 0, bool truncated = false)
    {
        _id = id;
        _flags = (ushort)((response ? 0x8000 : 0) | 0x0100 | (truncated ? 0x0200 : 0) | (response ? 0x0080 : 0) | (rcode & 0xF));
        return this;
    }

    public DnsMessageBuilder Question(string name, ushort type, ushort @class = 1)
    {
        Name(name);
        U16(type);
        U16(@class);
        _qd++;
        return this;
    }

    public DnsMessageBuilder Record(int section, string name, ushort type, uint ttl, Action<DnsMessageBuilder> rdata, ushort @class = 1)
    {
        Name(name);
        U16(type);
        U16(@class);
        U32(ttl);
        var lengthAt = _bytes.Count;
        U16(0);
        var start = _bytes.Count;
        rdata(this);
        var length = _bytes.Count - start;
        _bytes[lengthAt] = (byte)(length >> 8);
        _bytes[lengthAt + 1] = (byte)length;
        switch (section)
        {
            case 0: _an++; break;
            case 1: _ns++; break;
            default: _ar++; break;
        }
        return this;
    }

    public DnsMessageBuilder A(int section, string name, string address, uint ttl = 60) =>
        Record(section, name, IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? (ushort)1 : (ushort)28, ttl,
            b => b.Raw(IPAddress.Parse(address).GetAddressBytes()));

    public DnsMessageBuilder Opt(ushort udpSize, byte extendedRcode = 0)
    {
        _bytes.Add(0);
        U16(41);
        U16(udpSize);
        U32((uint)extendedRcode << 24);
        U16(0);
        _ar++;
        return this;
    }

    public DnsMessageBuilder Name(string name)
    {
        if (name == ".")
        {
            _bytes.Add(0);
            return this;
        }
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var suffix = string.Join('.', labels[i..]);
            if (compress && _names.TryGetValue(suffix, out var at))
            {
                U16((ushort)(0xC000 | at));
                return this;
            }
            if (_bytes.Count + 12 < 0x3FFF) _names.TryAdd(suffix, _bytes.Count + 12);
            var label = Encoding.ASCII.GetBytes(labels[i]);
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(label);
        }
        _bytes.Add(0);
        return this;
    }

    public DnsMessageBuilder Text(params string[] strings)
    {
        foreach (var s in strings)
        {
            var b = Encoding.ASCII.GetBytes(s);
            _bytes.Add((byte)b.Length);
            _bytes.AddRange(b);
        }
        return this;
    }

    public DnsMessageBuilder U16(ushort v)
    {
        _bytes.Add((byte)(v >> 8));
        _bytes.Add((byte)v);
        return this;
    }

    public DnsMessageBuilder U32(uint v)
    {
        U16((ushort)(v >> 16));
        return U16((ushort)v);
    }

    public DnsMessageBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] Build()
    {
        var message = new byte[12 + _bytes.Count];
        BinaryPrimitives.WriteUInt16BigEndian(message, _id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), _flags);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), _qd);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), _an);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), _ns);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), _ar);
        _bytes.CopyTo(message, 12);
        return message;
    }
}
