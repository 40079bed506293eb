using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ingrain.Probes.Tls;

/// <summary>
/// JA3/JA3S (Salesforce: decimal values, '-' within a field, ',' between fields, MD5) and JA4/JA4S (FoxIO: a readable
/// prefix and truncated SHA-256 of the hex values). GREASE (RFC 8701) values are left out of every field, as both
/// specifications say. Over TCP only: the JA4 protocol letter is always 't'.
/// </summary>
public static class TlsFingerprints
{
    public const string EmptyHash = "000000000000";

    /// <summary>JA3's string: <c>SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats</c>.</summary>
    public static string Ja3String(TlsHello hello) =>
        string.Join(',', Dec(hello.LegacyVersion), Dec(hello.CipherSuites), Dec(hello.Extensions), Dec(hello.Groups),
            string.Join('-', hello.EcPointFormats.Select(f => f.ToString(CultureInfo.InvariantCulture))));

    /// <summary>JA3S's string: <c>SSLVersion,Cipher,SSLExtension</c>.</summary>
    public static string Ja3SString(TlsHello hello) =>
        string.Join(',', Dec(hello.LegacyVersion), Dec(hello.CipherSuites), Dec(hello.Extensions));

    public static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(text)));

    /// <summary>JA4: <c>t{version}{d|i}{ciphers:00}{extensions:00}{alpn}_{sorted ciphers}_{sorted extensions but SNI and ALPN _ signature algorithms}</c>.</summary>
    public static string Ja4(TlsHello hello)
    {
        var ciphers = hello.CipherSuites.Where(c => !TlsNames.IsGrease(c)).ToList();
        var extensions = hello.Extensions.Where(e => !TlsNames.IsGrease(e)).ToList();
        var sni = extensions.Contains(0) ? 'd' : 'i';
        var a = $"t{Ja4Version(hello.Version)}{sni}{Count(ciphers.Count)}{Count(extensions.Count)}{Ja4Alpn(hello.Alpn)}";
        var b = ciphers.Count == 0 ? EmptyHash : Sha12(Hex(ciphers.Order()));
        var rest = extensions.Where(e => e is not (0 or 16)).Order().ToList();
        var c = rest.Count == 0 ? EmptyHash
            : Sha12(Hex(rest) + (hello.SignatureAlgorithms.Count > 0 ? "_" + Hex(hello.SignatureAlgorithms.Where(s => !TlsNames.IsGrease(s))) : ""));
        return $"{a}_{b}_{c}";
    }

    /// <summary>JA4S: <c>t{version}{extensions:00}{alpn}_{cipher}_{extensions in order}</c>.</summary>
    public static string Ja4S(TlsHello hello)
    {
        var extensions = hello.Extensions.Where(e => !TlsNames.IsGrease(e)).ToList();
        var cipher = hello.CipherSuites.Count > 0 ? hello.CipherSuites[0] : (ushort)0;
        var a = $"t{Ja4Version(hello.Version)}{Count(extensions.Count)}{Ja4Alpn(hello.Alpn)}";
        var c = extensions.Count == 0 ? EmptyHash : Sha12(Hex(extensions));
        return $"{a}_{cipher.ToString("x4", CultureInfo.InvariantCulture)}_{c}";
    }

    public static string Ja4Version(ushort version) => version switch
    {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        0x0300 => "s3",
        0x0002 => "s2",
        0xfeff => "d1",
        0xfefd => "d2",
        0xfefc => "d3",
        _ => "00",
    };

    // The first and last character of the first protocol; its hex's first and last when either is not alphanumeric.
    private static string Ja4Alpn(IReadOnlyList<string> alpn)
    {
        if (alpn.Count == 0) return "00";
        var bytes = TlsText.Unescape(alpn[0]);
        if (bytes.Length == 0) return "00";
        char first = (char)bytes[0], last = (char)bytes[^1];
        if (char.IsAsciiLetterOrDigit(first) && char.IsAsciiLetterOrDigit(last)) return $"{first}{last}";
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[0]}{hex[^1]}";
    }

    private static string Count(int n) => Math.Min(n, 99).ToString("00", CultureInfo.InvariantCulture);

    private static string Sha12(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)))[..12];

    private static string Hex(IEnumerable<ushort> values) => string.Join(',', values.Select(v => v.ToString("x4", CultureInfo.InvariantCulture)));

    private static string Dec(ushort value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Dec(IEnumerable<ushort> values) =>
        string.Join('-', values.Where(v => !TlsNames.IsGrease(v)).Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
