using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingrain.Probes.Network;
using Xunit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>Connection records as the kernel writes them (built here byte for byte) decode to events; bad ones are
/// counted and skipped; a close without owner waits for the accept that names it.</summary>
public sealed unsafe class NetworkDecoderTests
{
    private static byte[] Record(byte kind, byte flags = 0, ulong cookie = 7, int tgid = 300, ushort family = 2, byte protocol = 6)
    {
        var r = new ConnectionRecord { Op = (byte)OpCode.Connection, Kind = kind, Flags = flags, Cookie = cookie, BootNs = 1, TxBytes = 10, RxBytes = 20, DurationNs = 30 };
        r.Owner.Tgid = (uint)tgid;
        r.Owner.Pid = (uint)tgid + 1;
        "srv"u8.CopyTo(new Span<byte>(r.Owner.Comm, 16));
        "srv-worker"u8.CopyTo(new Span<byte>(r.Owner.ThreadComm, 16));
        r.Tuple.Family = family;
        r.Tuple.Protocol = protocol;
        r.Tuple.Sport = 80;
        r.Tuple.Dport = 50000;
        r.Tuple.Saddr[0] = 127;
        r.Tuple.Saddr[3] = 1;
        r.Tuple.Daddr[0] = 127;
        r.Tuple.Daddr[3] = 2;
        var bytes = new byte[sizeof(ConnectionRecord)];
        Unsafe.WriteUnaligned(ref bytes[0], r);
        return bytes;
    }

    private static NetworkDecoder Decoder(TimeSpan? wait = null, params string[] ignored) =>
        new(new BootClock(), wait ?? TimeSpan.FromHours(1), new HashSet<string>(ignored));

    [Fact]
    public void A_close_carries_owner_endpoints_bytes_and_duration_as_tags()
    {
        var seen = new List<Measurement>();
        Decoder().Decode(Record(ConnectionRecord.KindClose), seen.Add);
        var e = Assert.IsType<ConnectionEvent>(Assert.Single(seen));
        Assert.Equal("connection.close", e.Name);
        Assert.Equal("process_id=300,process_str=srv,thread_id=301,thread_str=srv-worker,uid_id=0,s_ip=127.0.0.1,s_port=80,d_ip=127.0.0.2,d_port=50000,proto=tcp,family=ipv4,tx_bytes=10,rx_bytes=20,duration_ns=30",
            e.Tags.ToString());
    }

    [Fact]
    public void Short_records_unknown_kinds_and_families_are_counted_and_skipped()
    {
        var decoder = Decoder();
        var seen = new List<Measurement>();
        decoder.Decode(Record(ConnectionRecord.KindOut).AsSpan(0, 40), seen.Add);
        decoder.Decode(Record(9), seen.Add);
        decoder.Decode(Record(ConnectionRecord.KindIn, family: 1), seen.Add);
        decoder.Decode([], seen.Add);
        Assert.Empty(seen);
        Assert.Equal(4, decoder.Malformed);
    }

    [Fact]
    public void A_close_without_owner_is_emitted_after_the_accept_that_names_it()
    {
        var decoder = Decoder();
        var seen = new List<Measurement>();
        decoder.Decode(Record(ConnectionRecord.KindClose, ConnectionRecord.FlagNoOwner, cookie: 42), seen.Add);
        Assert.Empty(seen);
        decoder.Decode(Record(ConnectionRecord.KindIn, ConnectionRecord.FlagPartial, cookie: 42, tgid: 555), seen.Add);
        Assert.Equal(["connection.in", "connection.close"], seen.Select(m => m.Name));
        Assert.Equal("555", seen[1].Tags.Get("process_id"));
        Assert.Equal(0, decoder.Held);
    }

    [Fact]
    public void A_close_whose_owner_never_comes_goes_out_with_process_id_0_after_the_wait()
    {
        var decoder = Decoder(TimeSpan.Zero);
        var seen = new List<Measurement>();
        decoder.Decode(Record(ConnectionRecord.KindClose, ConnectionRecord.FlagNoOwner), seen.Add);
        decoder.FlushExpired(seen.Add);
        var e = Assert.IsType<ConnectionEvent>(Assert.Single(seen));
        Assert.Null(e.Owner);
        Assert.Equal("0", e.Tags.Get("process_id"));
        Assert.Equal(1, decoder.Unowned);
    }

    [Fact]
    public void Ignored_process_names_are_dropped()
    {
        var seen = new List<Measurement>();
        Decoder(null, "srv").Decode(Record(ConnectionRecord.KindOut), seen.Add);
        Assert.Empty(seen);
    }

    [Fact]
    public void A_failed_connect_names_its_errno()
    {
        var bytes = Record(ConnectionRecord.KindOut);
        MemoryMarshal.Write(bytes.AsSpan(4), 111u);
        var seen = new List<Measurement>();
        Decoder().Decode(bytes, seen.Add);
        Assert.Equal("ECONNREFUSED", Assert.Single(seen).Tags.Get("error_str"));
    }

    [Fact]
    public void While_a_dns_probe_runs_an_unnamed_connection_out_and_its_close_wait_for_the_name_and_keep_their_order()
    {
        var names = new Ingrain.Probes.Names.ResolvedNames();
        using var source = names.AddSource();
        var decoder = new NetworkDecoder(new BootClock(), TimeSpan.FromHours(1), new HashSet<string>(), names);
        var seen = new List<Measurement>();
        decoder.Decode(Record(ConnectionRecord.KindOut), seen.Add);
        decoder.Decode(Record(ConnectionRecord.KindClose), seen.Add);
        Assert.Empty(seen);
        names.Add(300, System.Net.IPAddress.Parse("127.0.0.2"), "peer.example", 60, Environment.TickCount64);
        decoder.FlushExpired(seen.Add, all: true);
        Assert.Equal(["connection.out", "connection.close"], seen.Select(m => m.Name));
        Assert.All(seen, m => Assert.Equal("peer.example", m.Tags.Get("d_name_str")));

        // Without a DNS probe nothing waits, and an address nobody resolved has no name.
        var plain = new NetworkDecoder(new BootClock(), TimeSpan.FromHours(1), new HashSet<string>(), new Ingrain.Probes.Names.ResolvedNames());
        seen.Clear();
        plain.Decode(Record(ConnectionRecord.KindOut), seen.Add);
        Assert.Null(Assert.Single(seen).Tags.Get("d_name_str"));
    }
}
