using System.Buffers.Binary;
using System.Net;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Names;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Dns;

/// <summary>
/// Turns captured DNS packets into measurements. UDP: one message per datagram. TCP: messages framed by their 2-byte
/// length; a message split across segments is kept (bounded) until the next in-order segment of the same socket and
/// direction completes it, else counted as truncated. A message seen again by the same socket in the same direction
/// within a second (a retransmit) is counted as a duplicate and reported once. An answer gets the latency since the
/// same socket's matching query (id, name, type). A message whose socket had no known owner is held for the owner
/// wait: a later packet of the socket or the owner map names it, else it goes out with process_id 0. Records that
/// are not packet records and messages that do not parse are counted in <see cref="Malformed"/> and skipped.
/// The addresses of the A/AAAA answers local sockets receive go to <paramref name="names"/>, with the question's name.
/// Not thread-safe: the probe serializes calls.
/// </summary>
internal sealed class DnsDecoder(BootClock clock, DnsProbeOptions options, Func<ulong, SocketOwner?> ownerOf, ResolvedNames? names = null) : IPacketDecoder
{
    private const ulong DuplicateWindowNs = 1_000_000_000;
    private const ulong QueryKeepNs = 30_000_000_000;
    private const int MaxRecent = 65536, MaxQueries = 16384, MaxStreams = 1024, MaxHeld = 4096;
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(5);

    private readonly bool _queries = options.Emits(DnsMeasurements.Query);
    private readonly bool _answers = options.Emits(DnsMeasurements.Answer);
    private readonly bool _records = options.Emits(DnsMeasurements.AnswerRecord);
    private readonly bool _parseRecords = options.Emits(DnsMeasurements.AnswerRecord) || names is not null;
    private readonly BoundedRecent<(ulong Cookie, bool Out, ushort Id, int Hash, int Length)> _recent = new(MaxRecent);
    private readonly BoundedRecent<(ulong Cookie, ushort Id, ushort Type, string Name)> _asked = new(MaxQueries);
    private readonly Dictionary<(ulong Cookie, bool Out), PendingSegment> _streams = [];
    private readonly OwnerWait<(DnsExchange Exchange, long Timestamp)> _waiting = new(options.OwnerWait, MaxHeld);

    private sealed record PendingSegment(byte[] Bytes, uint NextSeq, long Deadline);

    public long Malformed { get; private set; }
    public long Duplicates { get; private set; }
    public long Unowned { get; private set; }
    public long Truncated { get; private set; }
    public long Reassembled { get; private set; }
    public int Held => _waiting.Count;

    public void Decode(ReadOnlySpan<byte> record, Action<Measurement> emit)
    {
        if (!CapturedPacket.TryRead(record, PacketAbi.ClassDns, out var packet))
        {
            Malformed++;
            return;
        }
        if (packet.Owner is { } owner && _waiting.Count > 0) Release(packet.Cookie, owner, emit);
        if (packet.IsTcp) Tcp(packet, emit);
        else Message(packet, packet.Payload, packet.Complete, emit);
    }

    private void Tcp(in CapturedPacket packet, Action<Measurement> emit)
    {
        var key = (packet.Cookie, packet.Outbound);
        var data = packet.Payload;
        if (_streams.Remove(key, out var pending))
        {
            if (pending.NextSeq == packet.TcpSeq)
            {
                var joined = new byte[pending.Bytes.Length + data.Length];
                pending.Bytes.CopyTo(joined, 0);
                data.CopyTo(joined.AsSpan(pending.Bytes.Length));
                data = joined;
                Reassembled++;
            }
            else
            {
                Truncated++; // the rest of that message never came in order: it is not guessed at
            }
        }
        var offset = 0;
        while (data.Length - offset >= 2)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            if (data.Length - offset - 2 < length) break;
            Message(packet, data.Slice(offset + 2, length), true, emit);
            offset += 2 + length;
        }
        var rest = data[offset..];
        if (rest.IsEmpty) return;
        if (!packet.Complete)
        {
            // The capture was cut inside this message: what it holds is parsed as a partial message.
            if (rest.Length >= 2 + DnsParser.HeaderSize) Message(packet, rest[2..], false, emit);
            else Truncated++;
            return;
        }
        if (_streams.Count >= MaxStreams)
        {
            Truncated++;
            return;
        }
        // At most a 2-byte length and 65,535 bytes of message wait for the next segment.
        _streams[key] = new PendingSegment(rest.ToArray(), packet.TcpSeq + (uint)packet.WireLength, Environment.TickCount64 + (long)StreamWait.TotalMilliseconds);
    }

    private void Message(in CapturedPacket packet, ReadOnlySpan<byte> bytes, bool complete, Action<Measurement> emit)
    {
        if (!DnsParser.TryParse(bytes, _parseRecords, complete, out var message))
        {
            Malformed++;
            return;
        }
        if (!complete) Truncated++;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        if (!_recent.Add((packet.Cookie, packet.Outbound, message!.Header.Id, hash.ToHashCode(), bytes.Length), packet.BootNs, DuplicateWindowNs))
        {
            Duplicates++;
            return;
        }
        long? latency = null;
        if (message.Question is { } q)
        {
            var asked = (packet.Cookie, message.Header.Id, q.Type, q.Name);
            if (!message.Header.IsResponse) _asked.Set(asked, packet.BootNs, QueryKeepNs);
            else if (_asked.Take(asked, out var at) && packet.BootNs >= at) latency = (long)(packet.BootNs - at);
        }
        var owner = packet.Owner;
        var exchange = new DnsExchange(owner, packet.Endpoints, packet.Outbound, message, latency, packet.Cookie);
        var timestamp = clock.ToUnixNanos(packet.BootNs);
        if (owner is null && _waiting.TryHold(packet.Cookie, (exchange, timestamp))) return;
        if (owner is null) Unowned++;
        Emit(exchange, timestamp, emit);
    }

    private void Emit(DnsExchange exchange, long timestamp, Action<Measurement> emit)
    {
        if (names is not null && !exchange.Outbound && exchange.Message is { Header.IsResponse: true, Question: { } q }) Remember(exchange, q);
        if (exchange.Owner is { } owner && options.IgnoredProcesses.Contains(owner.Command)) return;
        var m = exchange.Message;
        if (m.Header.IsResponse ? _answers : _queries) emit(new DnsMessageEvent(timestamp, exchange));
        if (_records && m.Header.IsResponse)
            foreach (var record in m.Records) emit(new DnsRecordEvent(timestamp, exchange, record));
    }

    // What the local process was told: each address of the answer section is where the name it asked for lives.
    private void Remember(DnsExchange exchange, DnsQuestion question)
    {
        var now = Environment.TickCount64;
        foreach (var r in exchange.Message.Records)
        {
            if (r.Section != DnsSection.Answer || r.Type is not (DnsNames.TypeA or DnsNames.TypeAaaa) || r.Data.Length == 0) continue;
            if (IPAddress.TryParse(r.Data[0].Value, out var address)) names!.Add(exchange.Owner?.ProcessId ?? 0, address, question.Name, r.Ttl, now);
        }
    }

    // Its own method: the closure over emit is then made only when something is held, not for every packet.
    private void Release(ulong cookie, SocketOwner owner, Action<Measurement> emit) =>
        _waiting.Release(cookie, owner, (h, o) => Emit(h.Exchange with { Owner = o }, h.Timestamp, emit));

    /// <summary>
    /// Every 100 ms: held messages whose socket's owner is now in the owner map go out with it, those whose wait is over
    /// without it (all of them with <paramref name="all"/>, when stopping); TCP segments waiting too long are dropped.
    /// </summary>
    public void Tick(Action<Measurement> emit, bool all = false)
    {
        var now = Environment.TickCount64;
        _waiting.Tick(all, ownerOf, (h, o) => Emit(h.Exchange with { Owner = o }, h.Timestamp, emit), h =>
        {
            Unowned++;
            Emit(h.Exchange, h.Timestamp, emit);
        });
        if (_streams.Count > 0)
        {
            foreach (var (key, pending) in _streams.ToList())
            {
                if (!all && pending.Deadline > now) continue;
                _streams.Remove(key);
                Truncated++;
            }
        }
    }
}
