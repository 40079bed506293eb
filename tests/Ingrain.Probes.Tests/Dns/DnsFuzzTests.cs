using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Packets;
using Xunit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>
/// The parser and the decoder never let an exception out, never loop and never return more than the bytes can hold,
/// whatever they are given: 1,000,000 seeded random and mutated messages (a failure replays from the seed), an FsCheck
/// property over mutated messages, and an FsCheck round trip of random valid messages (what is built is what is read).
/// </summary>
public sealed class DnsFuzzTests
{
    private const int Seed = 20261204;
    private const int Messages = 1_000_000;

    private static readonly byte[][] Corpus =
    [
        new DnsMessageBuilder().Header(1, false).Question("a.test", 1).Opt(1232).Build(),
        new DnsMessageBuilder().Header(2, true).Question("alias.test", 1).Record(0, "alias.test", 5, 300, b => b.Name("a.test"))
            .A(0, "a.test", "127.0.0.5").A(0, "a.test", "fd00::5").Opt(1232).Build(),
        new DnsMessageBuilder().Header(3, true).Question("mx.test", 15).Record(0, "mx.test", 15, 1, b => b.U16(10).Name("mail.test"))
            .Record(0, "txt.test", 16, 1, b => b.Text("hello", "world")).Record(0, "_s._udp.test", 33, 1, b => b.U16(1).U16(2).U16(3).Name("t.test")).Build(),
        new DnsMessageBuilder().Header(4, true, rcode: 3).Question("nope.test", 1)
            .Record(1, "test", 6, 1, b => b.Name("ns.test").Name("h.test").U32(1).U32(2).U32(3).U32(4).U32(5)).Build(),
        new DnsMessageBuilder(compress: false).Header(5, true).Question("x.y.z.example", 12).Record(0, "x.y.z.example", 12, 9, b => b.Name("p.example")).Build(),
    ];

    [Fact]
    public void A_million_random_and_mutated_messages_are_parsed_or_refused_without_an_exception()
    {
        var (parsed, refused) = MutationFuzz.Run(Messages, Seed, Corpus, RandomBytes, Mutate, ParseAll, "message");
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        Assert.InRange(parsed, Messages / 20, Messages - Messages / 20);
        Assert.Equal(Messages, parsed + refused);
    }

    [Fact]
    public void Fscheck_mutated_messages_never_throw()
    {
        MutationFuzz.NeverThrows(Corpus, Mutate, message => ParseAll(message), Seed, 20_000);
    }

    [Fact]
    public void Fscheck_random_valid_messages_read_back_as_built()
    {
        var label = Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), n)).Select(c => new string(c));
        var name = Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(label, n)).Select(l => string.Join('.', l));
        var record = Gen.Choose(0, 4).SelectMany(kind => name.SelectMany(owner => name.SelectMany(target => Gen.Choose(0, 65535).Select(n =>
            (Kind: kind, Owner: owner, Target: target, N: n)))));
        var message = Gen.Choose(0, 65535).SelectMany(id => name.SelectMany(q => Gen.ListOf(record).Select(rs => (Id: id, Q: q, Records: rs.Take(30).ToList()))))
            .SelectMany(m => Gen.Elements(true, false).Select(compress => (m.Id, m.Q, m.Records, Compress: compress)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000).WithReplay(MutationFuzz.Replay(Seed)), Prop.ForAll(message.ToArbitrary(), m =>
        {
            var b = new DnsMessageBuilder(m.Compress).Header((ushort)m.Id, true).Question(m.Q, 1);
            var expected = new List<(string Owner, string Key, string Value)>();
            foreach (var r in m.Records)
            {
                var ip = $"10.{r.N >> 8}.{r.N & 255}.1";
                switch (r.Kind)
                {
                    case 0: b.A(0, r.Owner, ip); expected.Add((r.Owner, "address", ip)); break;
                    case 1: b.Record(0, r.Owner, 5, 1, x => x.Name(r.Target)); expected.Add((r.Owner, "target_str", r.Target)); break;
                    case 2: b.Record(0, r.Owner, 15, 1, x => x.U16((ushort)r.N).Name(r.Target)); expected.Add((r.Owner, "exchange_str", r.Target)); break;
                    case 3: b.Record(0, r.Owner, 16, 1, x => x.Text(r.Target)); expected.Add((r.Owner, "text_str", r.Target)); break;
                    default: b.Record(0, r.Owner, 33, 1, x => x.U16(1).U16(2).U16((ushort)r.N).Name(r.Target)); expected.Add((r.Owner, "srv_port", r.N.ToString())); break;
                }
            }
            Assert.True(DnsParser.TryParse(b.Build(), true, true, out var parsed));
            Assert.Equal((m.Id, m.Q), (parsed!.Header.Id, parsed.Question!.Name));
            Assert.Equal(expected.Count, parsed.Records.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Owner, parsed.Records[i].Name);
                Assert.Equal(expected[i].Value, parsed.Records[i].Data.First(d => d.Key == expected[i].Key).Value);
            }
            return true;
        }));
    }

    [Fact]
    public void The_decoder_counts_and_skips_random_packet_records_and_frames_tcp_streams_without_an_exception()
    {
        var random = new Random(Seed);
        var decoder = new DnsDecoder(new BootClock(), ProbeSettings.Dns with { OwnerWait = TimeSpan.Zero }, _ => null);
        var emitted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var payload = random.Next(3) switch
            {
                0 => RandomBytes(random),
                1 => Mutate(random, Corpus[random.Next(Corpus.Length)]),
                _ => TcpFramed(random),
            };
            var record = PacketRecordBytes(random, payload);
            if (random.Next(50) == 0) record = Mutate(random, record); // and now and then a broken record
            decoder.Decode(record, _ => emitted++);
            if (i % 1000 == 0) decoder.Tick(_ => emitted++);
        }
        decoder.Tick(_ => emitted++, all: true);
        Assert.True(decoder.Malformed > 0 && emitted > 0, $"malformed {decoder.Malformed}, emitted {emitted}");
        Assert.Equal(0, decoder.Held);
    }

    // Parses with and without records, as a complete message and as a cut one; the results must be bounded by the bytes.
    private static bool ParseAll(byte[] message)
    {
        var ok = DnsParser.TryParse(message, withRecords: true, complete: true, out var full);
        DnsParser.TryParse(message, withRecords: false, complete: true, out _);
        if (DnsParser.TryParse(message, withRecords: true, complete: false, out var cut))
            Assert.True(cut!.Records.Count <= message.Length / 11);
        if (!ok) return false;
        Assert.True(full!.Records.Count <= message.Length / 11);
        Assert.True(full.Question is null || full.Question.Name.Length <= 1020);
        return true;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 600)];
        random.NextBytes(bytes);
        if (bytes.Length >= 12 && random.Next(2) == 0)
        {
            // Plausible small counts, so the parser gets past the header.
            bytes[4] = 0;
            bytes[5] = (byte)random.Next(3);
            bytes[6] = 0;
            bytes[7] = (byte)random.Next(5);
        }
        return bytes;
    }

    private static readonly byte[] Interesting = [0, 1, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xc0, 0xff, 12];

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
                case 5: // a compression pointer anywhere, to anywhere
                    bytes[at] = (byte)(0xC0 | random.Next(2));
                    if (at + 1 < bytes.Count) bytes[at + 1] = (byte)random.Next(256);
                    break;
                default: // a count or length field set high
                    bytes[at] = 0xff;
                    if (at + 1 < bytes.Count) bytes[at + 1] = 0xff;
                    break;
            }
        }
        return [.. bytes];
    }

    private static byte[] TcpFramed(Random random)
    {
        var message = Corpus[random.Next(Corpus.Length)];
        var framed = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)(random.Next(4) == 0 ? random.Next(65536) : message.Length));
        message.CopyTo(framed, 2);
        return framed[..random.Next(1, framed.Length + 1)];
    }

    private static byte[] PacketRecordBytes(Random random, byte[] payload)
    {
        payload = payload[..Math.Min(payload.Length, PacketAbi.CaptureMax)];
        return TestPackets.Record(payload, (ulong)random.Next(1, 8), random.Next(2) == 0, (ulong)random.NextInt64(1, long.MaxValue),
            random.Next(2) == 0 ? null : 7, tcp: random.Next(2) == 0, seq: (uint)random.Next(4),
            wireLength: payload.Length + (random.Next(10) == 0 ? random.Next(1000) : 0), family: random.Next(2) == 0 ? (byte)2 : (byte)10);
    }

}
