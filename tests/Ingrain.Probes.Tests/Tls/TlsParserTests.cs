using Ingrain.Probes.Tls;
using Xunit;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>The hello parser and the fingerprints on hand-built hellos, and JA3/JA4 against the published examples.</summary>
public sealed class TlsParserTests
{
    private static TlsHello Parse(byte[] bytes)
    {
        Assert.Equal(TlsParseResult.Hello, TlsParser.TryParse(bytes, out var hello));
        return hello!;
    }

    [Fact]
    public void A_client_hello_reads_back_as_built()
    {
        var bytes = new TlsHelloBuilder { CipherSuites = [0x0a0a, 0x1301, 0xc02b, 0x00ff] }
            .Sni("example.test").Groups(0x1a1a, 29, 23).PointFormats(0).SignatureAlgorithms(0x0403, 0x0804)
            .Alpn("h2", "http/1.1").SupportedVersions(0x2a2a, 0x0304, 0x0303).Empty(23).Client();
        var h = Parse(bytes);
        Assert.True(h.IsClient);
        Assert.Equal(((ushort)0x0301, (ushort)0x0303, (ushort)0x0304), (h.RecordVersion, h.LegacyVersion, h.Version));
        Assert.Equal(["example.test"], h.ServerNames);
        Assert.Equal(["h2", "http/1.1"], h.Alpn);
        Assert.Equal([0, 10, 11, 13, 16, 43, 23], h.Extensions.Select(e => (int)e));
        Assert.Equal("GREASE,TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
            string.Join(',', h.CipherSuites.Select(TlsNames.CipherSuite)));
        Assert.Equal("GREASE,x25519,secp256r1", string.Join(',', h.Groups.Select(TlsNames.Group)));
        Assert.Equal("GREASE,1.3,1.2", string.Join(',', h.SupportedVersions.Select(TlsNames.Version)));
        // GREASE is left out of JA3 (cipher 0x0a0a, group 0x1a1a).
        Assert.Equal("771,4865-49195-255,0-10-11-13-16-43-23,29-23,0", TlsFingerprints.Ja3String(h));
    }

    [Fact]
    public void A_server_hello_reports_the_version_from_supported_versions()
    {
        var h = Parse(new TlsHelloBuilder { RecordVersion = 0x0303, CipherSuites = [0x1302] }.ServerVersion(0x0304).Extension(51, [0, 29, 0, 0]).Alpn("h2").Server());
        Assert.False(h.IsClient);
        Assert.Equal(((ushort)0x0303, (ushort)0x0304), (h.LegacyVersion, h.Version));
        Assert.Equal("1.3", TlsNames.Version(h.Version));
        Assert.Equal(["h2"], h.Alpn);
        Assert.Equal("771,4866,43-51-16", TlsFingerprints.Ja3SString(h));
    }

    // The example in the JA3 README (github.com/salesforce/ja3): its string and its MD5.
    [Fact]
    public void Ja3_matches_the_published_example()
    {
        var h = Parse(new TlsHelloBuilder { Version = 769, CipherSuites = [47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4] }
            .Sni("x.test").Groups(23, 24, 25).PointFormats(0).Client());
        Assert.Equal("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", TlsFingerprints.Ja3String(h));
        Assert.Equal("ada70206e40642a3e4461f35503241d5", TlsFingerprints.Md5(TlsFingerprints.Ja3String(h)));
    }

    // The Chrome example of the JA4 technical details (github.com/FoxIO-LLC/ja4, technical_details/JA4.md):
    // t13d1516h2_8daaf6152771_e5627efa2ab1, raw t13d1516h2_002f,0035,…_0005,000a,…_0403,0804,…; GREASE sent and ignored.
    [Fact]
    public void Ja4_matches_the_published_chrome_example()
    {
        var b = new TlsHelloBuilder
        {
            CipherSuites = [0x4a4a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035],
        };
        b.Empty(0x8a8a).Sni("example.test").Empty(0x0017).Extension(0x0033, [0, 0]).Empty(0x0012).Extension(0x0005, [1, 0, 0, 0, 0])
            .Groups(0x2a2a, 29, 23, 24).Extension(0x4469, [0, 3, 2, 0x68, 0x32]).Extension(0x001b, [2, 0, 2]).Extension(0x0023, [])
            .Alpn("h2", "http/1.1").Extension(0x002d, [1, 1]).SupportedVersions(0x3a3a, 0x0304, 0x0303).Extension(0xff01, [0])
            .PointFormats(0).SignatureAlgorithms(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601).Empty(0x0015).Empty(0x9a9a);
        var h = Parse(b.Client());
        Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", TlsFingerprints.Ja4(h));
    }

    // The JA4S examples published with the specification (FoxIO-LLC/ja4): the README's t130200_1301_a56c5b993250
    // (supported_versions, then key_share) and the pcap capture's t130200_1301_234ea6891581 (JA4S_r t130200_1301_0033,002b).
    [Theory]
    [InlineData(new ushort[] { 0x002b, 0x0033 }, "t130200_1301_a56c5b993250")]
    [InlineData(new ushort[] { 0x0033, 0x002b }, "t130200_1301_234ea6891581")]
    public void Ja4s_matches_the_published_examples(ushort[] order, string expected)
    {
        var b = new TlsHelloBuilder { CipherSuites = [0x1301] };
        foreach (var e in order)
        {
            if (e == 0x002b) b.ServerVersion(0x0304);
            else b.Extension(0x0033, [0, 29, 0, 0]);
        }
        Assert.Equal(expected, TlsFingerprints.Ja4S(Parse(b.Server())));
    }

    [Theory]
    [InlineData(new string[0], "00")]
    [InlineData(new[] { "h2" }, "h2")]
    [InlineData(new[] { "http/1.1" }, "h1")]
    [InlineData(new[] { "h" }, "hh")]
    public void Ja4_alpn_is_the_first_and_last_character_of_the_first_protocol(string[] alpn, string expected)
    {
        var b = new TlsHelloBuilder();
        if (alpn.Length > 0) b.Alpn(alpn);
        var ja4 = TlsFingerprints.Ja4(Parse(b.Client()));
        Assert.Equal(expected, ja4[8..10]);
        Assert.Equal('i', ja4[3]); // no SNI
        Assert.StartsWith("t12", ja4, StringComparison.Ordinal); // no supported_versions: the legacy version
    }

    [Fact]
    public void A_hello_split_over_two_records_is_joined()
    {
        var whole = new TlsHelloBuilder().Sni("split.test").Alpn("h2").Client();
        var split = TlsHelloBuilder.SplitIntoTwoRecords(whole, 40);
        Assert.Equal(["split.test"], Parse(split).ServerNames);
    }

    [Fact]
    public void A_hello_cut_short_is_incomplete_and_never_read_from_a_guess()
    {
        var whole = new TlsHelloBuilder().Sni("cut.test").Client();
        for (var n = 0; n < whole.Length; n++)
            Assert.Equal(TlsParseResult.Incomplete, TlsParser.TryParse(whole.AsSpan(0, n), out _));
        var split = TlsHelloBuilder.SplitIntoTwoRecords(whole, 40);
        Assert.Equal(TlsParseResult.Incomplete, TlsParser.TryParse(split.AsSpan(0, split.Length - 1), out _));
    }

    [Fact]
    public void Lengths_that_disagree_are_malformed()
    {
        var bytes = new TlsHelloBuilder().Sni("a.test").Client();
        var wrongHandshakeLength = (byte[])bytes.Clone();
        wrongHandshakeLength[8] += 1; // the handshake says one byte more than the record holds, and the record ends there
        Assert.NotEqual(TlsParseResult.Hello, TlsParser.TryParse(wrongHandshakeLength, out _));
        var notHandshake = (byte[])bytes.Clone();
        notHandshake[0] = 0x17;
        Assert.Equal(TlsParseResult.Malformed, TlsParser.TryParse(notHandshake, out _));
        var certificate = (byte[])bytes.Clone();
        certificate[5] = 11;
        Assert.Equal(TlsParseResult.Malformed, TlsParser.TryParse(certificate, out _));
        // The SNI list says more than its extension holds.
        var sni = new TlsHelloBuilder().Extension(0, [0, 9, 0, 0, 1, (byte)'a']).Client();
        Assert.Equal(TlsParseResult.Malformed, TlsParser.TryParse(sni, out _));
        // An odd cipher suite vector.
        var odd = new TlsHelloBuilder { CipherSuites = [0x1301] }.Client();
        odd[5 + 4 + 2 + 32 + 1 + 32 + 1] = 3;
        Assert.Equal(TlsParseResult.Malformed, TlsParser.TryParse(odd, out _));
    }

    [Fact]
    public void Grease_is_recognised_as_rfc_8701_defines_it()
    {
        var grease = Enumerable.Range(0, 16).Select(i => (ushort)(0x0a0a + 0x1010 * i)).ToHashSet();
        for (var v = 0; v <= 0xffff; v++) Assert.Equal(grease.Contains((ushort)v), TlsNames.IsGrease((ushort)v));
    }

    [Fact]
    public void Names_are_escaped_so_the_bytes_sent_can_be_told()
    {
        var h = Parse(new TlsHelloBuilder().Extension(0, TlsHelloBuilder.V16([0, 0, 4, (byte)'a', 0, (byte)'\\', 0xff])).Client());
        Assert.Equal(["a\\x00\\x5c\\xff"], h.ServerNames);
    }
}
