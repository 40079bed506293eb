using System.Text;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>Builds ClientHello and ServerHello records byte by byte, as a TLS stack sends them, for parser tests.</summary>
internal sealed class TlsHelloBuilder
{
    private readonly List<(ushort Type, byte[] Data)> _extensions = [];

    public ushort RecordVersion { get; init; } = 0x0301;
    public ushort Version { get; init; } = 0x0303;
    public ushort[] CipherSuites { get; init; } = [0x1301, 0x1302, 0xc02f];

    public TlsHelloBuilder Extension(ushort type, byte[] data)
    {
        _extensions.Add((type, data));
        return this;
    }

    public TlsHelloBuilder Sni(params string[] names) =>
        Extension(0, V16([.. names.SelectMany(n => (byte[])[0, .. V16(Encoding.ASCII.GetBytes(n))])]));

    public TlsHelloBuilder Alpn(params string[] protocols) =>
        Extension(16, V16([.. protocols.SelectMany(p => V8(Encoding.ASCII.GetBytes(p)))]));

    public TlsHelloBuilder Groups(params ushort[] groups) => Extension(10, V16(U16s(groups)));

    public TlsHelloBuilder PointFormats(params byte[] formats) => Extension(11, V8(formats));

    public TlsHelloBuilder SignatureAlgorithms(params ushort[] algorithms) => Extension(13, V16(U16s(algorithms)));

    public TlsHelloBuilder SupportedVersions(params ushort[] versions) => Extension(43, V8(U16s(versions)));

    public TlsHelloBuilder Empty(ushort type) => Extension(type, []);

    /// <summary>The whole record: header, handshake header, ClientHello body.</summary>
    public byte[] Client()
    {
        var body = new List<byte>();
        body.AddRange(U16s(Version));
        body.AddRange(new byte[32]);         // random
        body.AddRange(V8(new byte[32]));     // session id
        body.AddRange(V16(U16s(CipherSuites)));
        body.AddRange(V8([0]));              // compression: null
        AddExtensions(body);
        return Record(1, [.. body]);
    }

    public byte[] Server()
    {
        var body = new List<byte>();
        body.AddRange(U16s(Version));
        body.AddRange(new byte[32]);
        body.AddRange(V8(new byte[32]));
        body.AddRange(U16s(CipherSuites[0]));
        body.Add(0);
        AddExtensions(body);
        return Record(2, [.. body]);
    }

    public TlsHelloBuilder ServerVersion(ushort version) => Extension(43, U16s(version));

    private void AddExtensions(List<byte> body)
    {
        if (_extensions.Count == 0) return;
        var all = _extensions.SelectMany(e => (byte[])[.. U16s(e.Type), .. V16(e.Data)]).ToArray();
        body.AddRange(V16(all));
    }

    private byte[] Record(byte type, byte[] body)
    {
        byte[] handshake = [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];
        return [0x16, (byte)(RecordVersion >> 8), (byte)RecordVersion, .. V16Len(handshake.Length), .. handshake];
    }

    /// <summary>The same handshake message split over two records (a record boundary inside the hello).</summary>
    public static byte[] SplitIntoTwoRecords(byte[] record, int firstLength)
    {
        var handshake = record[5..];
        var a = handshake[..firstLength];
        var b = handshake[firstLength..];
        return [0x16, record[1], record[2], .. V16Len(a.Length), .. a, 0x16, record[1], record[2], .. V16Len(b.Length), .. b];
    }

    public static byte[] U16s(params ushort[] values) => [.. values.SelectMany(v => (byte[])[(byte)(v >> 8), (byte)v])];

    public static byte[] V8(byte[] data) => [(byte)data.Length, .. data];

    public static byte[] V16(byte[] data) => [.. V16Len(data.Length), .. data];

    private static byte[] V16Len(int n) => [(byte)(n >> 8), (byte)n];
}
