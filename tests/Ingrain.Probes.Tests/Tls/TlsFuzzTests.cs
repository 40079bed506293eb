using FsCheck;
using FsCheck.Fluent;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Tests.Dns;
using Ingrain.Probes.Tls;
using Xunit;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>
/// The hello parser, the fingerprints and the tags never let an exception out and never read more than the bytes
/// hold, whatever they are given: 1,000,000 seeded random and mutated hellos (a failure replays from the seed and
/// prints the bytes), an FsCheck property over mutated hellos, an FsCheck round trip of random valid hellos, and
/// 100,000 random packet records (split, cut, interleaved) through the decoder.
/// </summary>
public sealed class TlsFuzzTests
{
    private const int Seed = 20261214;
    private const int Hellos = 1_000_000;

    private static readonly byte[][] Corpus =
    [
        new TlsHelloBuilder { CipherSuites = [0x0a0a, 0x1301, 0x1302, 0xc02f] }.Sni("a.test").Groups(0x1a1a, 29, 23).PointFormats(0)
            .SignatureAlgorithms(0x0403, 0x0804).Alpn("h2", "http/1.1").SupportedVersions(0x2a2a, 0x0304, 0x0303).Extension(51, [0, 4, 0, 29, 0, 0]).Client(),
        new TlsHelloBuilder { CipherSuites = [0x1301] }.ServerVersion(0x0304).Extension(51, [0, 29, 0, 0]).Server(),
        new TlsHelloBuilder { RecordVersion = 0x0303, CipherSuites = [0xc02f] }.Alpn("h2").Empty(23).Extension(65281, [0]).Server(),
        new TlsHelloBuilder { Version = 0x0301, CipherSuites = [47, 53, 5] }.Client(),
        TlsHelloBuilder.SplitIntoTwoRecords(new TlsHelloBuilder().Sni("split.test", "second.test").Alpn("h2").Extension(21, new byte[100]).Client(), 60),
    ];

    [Fact]
    public void A_million_random_and_mutated_hellos_are_read_or_refused_without_an_exception()
    {
        var (hellos, refused) = MutationFuzz.Run(Hellos, Seed, Corpus, RandomHello, Mutate, ReadAll, "hello");
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        Assert.InRange(hellos, Hellos / 20, Hellos - Hellos / 20);
        Assert.Equal(Hellos, hellos + refused);
    }

    [Fact]
    public void Fscheck_mutated_hellos_never_throw()
    {
        MutationFuzz.NeverThrows(Corpus, Mutate, bytes => ReadAll(bytes), Seed, 20_000);
    }

    [Fact]
    public void Fscheck_random_valid_client_hellos_read_back_as_built()
    {
        var label = Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), n)).Select(c => new string(c));
        var u16 = Gen.Choose(0, 65535).Select(n => (ushort)n);
        var hello = Gen.ArrayOf(u16).SelectMany(suites => label.SelectMany(sni => Gen.ArrayOf(label).SelectMany(alpn => Gen.ArrayOf(u16).Select(groups =>
            (Suites: suites.Take(200).ToArray(), Sni: sni, Alpn: alpn.Take(10).ToArray(), Groups: groups.Take(50).ToArray())))));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000).WithReplay(MutationFuzz.Replay(Seed)), Prop.ForAll(hello.ToArbitrary(), h =>
        {
            var b = new TlsHelloBuilder { CipherSuites = h.Suites }.Sni(h.Sni).Groups(h.Groups);
            if (h.Alpn.Length > 0) b.Alpn(h.Alpn);
            Assert.Equal(TlsParseResult.Hello, TlsParser.TryParse(b.Client(), out var parsed));
            Assert.Equal(h.Suites, parsed!.CipherSuites);
            Assert.Equal([h.Sni], parsed.ServerNames);
            Assert.Equal(h.Alpn, parsed.Alpn);
            Assert.Equal(h.Groups, parsed.Groups);
            var ja4 = TlsFingerprints.Ja4(parsed);
            Assert.Equal(Math.Min(99, h.Suites.Count(s => !TlsNames.IsGrease(s))).ToString("00"), ja4[4..6]);
            return true;
        }));
    }

    [Fact]
    public void The_decoder_counts_and_skips_random_packet_records_without_an_exception()
    {
        var random = new Random(Seed);
        var decoder = new TlsDecoder(new BootClock(), ProbeSettings.Tls with { OwnerWait = TimeSpan.FromMilliseconds(random.Next(2)) }, _ => null);
        var emitted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var cookie = (ulong)random.Next(1, 8);
            var hello = random.Next(3) == 0 ? RandomHello(random) : Mutate(random, Corpus[random.Next(Corpus.Length)]);
            if (hello.Length == 0) hello = [0x16];
            var seq = (uint)random.Next(4);
            // Now and then in two segments with the right or a wrong sequence number.
            var cut = random.Next(3) == 0 ? random.Next(1, hello.Length + 1) : hello.Length;
            byte[][] segments = cut < hello.Length ? [hello[..cut], hello[cut..]] : [hello];
            foreach (var segment in segments)
            {
                var payload = segment[..Math.Min(segment.Length, PacketAbi.CaptureMax)];
                var record = TestPackets.Record(payload, cookie, random.Next(2) == 0, (ulong)random.NextInt64(1, long.MaxValue),
                    random.Next(2) == 0 ? null : 7, tcp: random.Next(20) != 0, seq: seq, wireLength: payload.Length + (random.Next(10) == 0 ? random.Next(1000) : 0),
                    sport: 40000, dport: 8443, family: random.Next(2) == 0 ? (byte)2 : (byte)10, comm: "client", classes: PacketAbi.ClassTls);
                if (random.Next(50) == 0) record = Mutate(random, record); // and now and then a broken record
                decoder.Decode(record, m =>
                {
                    _ = m.Tags.Count;
                    emitted++;
                });
                seq += random.Next(4) == 0 ? 1u : (uint)segment.Length;
            }
            if (i % 1000 == 0) decoder.Tick(_ => emitted++);
        }
        decoder.Tick(_ => emitted++, all: true);
        Assert.True(decoder.Malformed > 0 && decoder.Truncated > 0 && decoder.Reassembled > 0 && emitted > 0,
            $"malformed {decoder.Malformed}, truncated {decoder.Truncated}, reassembled {decoder.Reassembled}, emitted {emitted}");
        Assert.Equal(0, decoder.Held);
    }

    // Parses whole, and as every kind of reader would: the tags and all four fingerprints are built from what was read.
    private static bool ReadAll(byte[] bytes)
    {
        var result = TlsParser.TryParse(bytes, out var hello);
        if (result != TlsParseResult.Hello) return false;
        Assert.True(hello!.CipherSuites.Count <= bytes.Length / 2 && hello.Extensions.Count <= bytes.Length / 4);
        var e = new TlsHelloEvent(0, hello, null, new Ingrain.Probes.Network.SocketTuple("tcp", "ipv4", System.Net.IPAddress.Loopback, 1, System.Net.IPAddress.Loopback, 2), true);
        Assert.True(e.Tags.Count > 10);
        if (hello.IsClient)
        {
            Assert.Equal(32, TlsFingerprints.Md5(TlsFingerprints.Ja3String(hello)).Length);
            Assert.Equal(36, TlsFingerprints.Ja4(hello).Length);
        }
        else
        {
            Assert.Equal(25, TlsFingerprints.Ja4S(hello).Length);
        }
        return true;
    }

    private static byte[] RandomHello(Random random)
    {
        var bytes = new byte[random.Next(0, 700)];
        random.NextBytes(bytes);
        if (bytes.Length >= 9 && random.Next(4) != 0)
        {
            // A plausible record and handshake header, so the parser gets past them.
            var body = bytes.Length - 9;
            bytes[0] = 0x16;
            bytes[1] = 3;
            bytes[2] = (byte)random.Next(5);
            bytes[3] = (byte)((body + 4) >> 8);
            bytes[4] = (byte)(body + 4);
            bytes[5] = (byte)random.Next(1, 3);
            bytes[6] = 0;
            bytes[7] = (byte)(body >> 8);
            bytes[8] = (byte)body;
        }
        return bytes;
    }

    private static readonly byte[] Interesting = [0, 1, 2, 0x16, 0x7f, 0x80, 0xfe, 0xff, 0x0a];

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = new List<byte>(source);
        var mutations = random.Next(1, 5);
        for (var i = 0; i < mutations && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = Interesting[random.Next(Interesting.Length)]; break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break; // cut
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                case 4: bytes.RemoveAt(at); break;
                case 5: // a length field a little off
                    bytes[at] = (byte)(bytes[at] + random.Next(-2, 3));
                    break;
                default: // a length field set high
                    bytes[at] = 0xff;
                    if (at + 1 < bytes.Count) bytes[at + 1] = 0xff;
                    break;
            }
        }
        return [.. bytes];
    }

}
