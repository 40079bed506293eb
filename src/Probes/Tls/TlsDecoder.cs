using Ingrain.Probes.Dns;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Tls;

/// <summary>
/// Turns captured TLS packets into hello measurements. A segment that starts a hello longer than itself is kept
/// (bounded: <see cref="TlsParser.MaxHandshake"/> bytes, <see cref="MaxStreams"/> sockets, 5 s) until the next
/// in-order segment of the same socket and direction completes it; the kernel captures those continuation segments
/// too (bpf/packets <c>tls_pending</c>). A hello that stays incomplete (cut by the capture, a gap, a timeout) is
/// counted as truncated, never parsed from a guess. A hello seen again by the same socket in the same direction within
/// a second (a retransmit) is a duplicate, reported once. A hello whose socket has no known owner yet waits up to
/// owner-wait for one. Not thread-safe: the probe serializes calls.
/// </summary>
internal sealed class TlsDecoder(BootClock clock, TlsProbeOptions options, Func<ulong, SocketOwner?> ownerOf) : IPacketDecoder
{
    public const int MaxStreams = 1024;
    private const int MaxRecent = 16384, MaxHeld = 4096;
    private const ulong DuplicateWindowNs = 1_000_000_000;
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(5);

    private readonly Dictionary<(ulong Cookie, bool Out), Pending> _streams = [];
    private readonly BoundedRecent<(ulong Cookie, bool Out, int Hash, int Length)> _recent = new(MaxRecent);
    private readonly OwnerWait<TlsHelloEvent> _waiting = new(options.OwnerWait, MaxHeld);

    private sealed record Pending(byte[] Bytes, uint NextSeq, long Deadline);

    public long Malformed { get; private set; }
    public long Duplicates { get; private set; }
    public long Unowned { get; private set; }
    public long Truncated { get; private set; }
    public long Reassembled { get; private set; }
    public int Held => _waiting.Count;

    public void Decode(ReadOnlySpan<byte> record, Action<Measurement> emit)
    {
        if (!CapturedPacket.TryRead(record, PacketAbi.ClassTls, out var packet) || !packet.IsTcp || packet.Payload.IsEmpty)
        {
            Malformed++;
            return;
        }
        if (packet.Owner is { } owner && _waiting.Count > 0) Release(packet.Cookie, owner, emit);
        var key = (packet.Cookie, packet.Outbound);
        ReadOnlySpan<byte> data = packet.Payload;
        var joined = false;
        if (_streams.Remove(key, out var pending))
        {
            if (pending.NextSeq == packet.TcpSeq && packet.Payload[0] != 0x16 && pending.Bytes.Length + data.Length <= TlsParser.MaxHandshake + 64)
            {
                data = (byte[])[.. pending.Bytes, .. data];
                joined = true;
            }
            else
            {
                Truncated++; // the rest of that hello never came in order: it is not guessed at
            }
        }
        else if (data[0] != 0x16)
        {
            Truncated++; // a continuation whose start was not kept (cut, timed out, or too many sockets waiting)
            return;
        }
        switch (TlsParser.TryParse(data, out var hello))
        {
            case TlsParseResult.Hello:
                if (joined) Reassembled++;
                Hello(packet, data, hello!, emit);
                break;
            case TlsParseResult.Incomplete when packet.Complete && _streams.Count < MaxStreams && data.Length <= TlsParser.MaxHandshake:
                _streams[key] = new Pending(data.ToArray(), packet.TcpSeq + (uint)packet.WireLength,
                    Environment.TickCount64 + (long)StreamWait.TotalMilliseconds);
                break;
            case TlsParseResult.Incomplete:
                Truncated++;
                break;
            default:
                Malformed++;
                break;
        }
    }

    private void Hello(in CapturedPacket packet, ReadOnlySpan<byte> bytes, TlsHello hello, Action<Measurement> emit)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        if (!_recent.Add((packet.Cookie, packet.Outbound, hash.ToHashCode(), bytes.Length), packet.BootNs, DuplicateWindowNs))
        {
            Duplicates++;
            return;
        }
        if (!hello.IsClient && !options.ServerHellos) return;
        var owner = packet.Owner ?? ownerOf(packet.Cookie);
        var e = new TlsHelloEvent(clock.ToUnixNanos(packet.BootNs), hello, owner, packet.Endpoints, packet.Outbound);
        if (owner is null && _waiting.TryHold(packet.Cookie, e)) return;
        if (owner is null) Unowned++;
        Emit(e, emit);
    }

    private void Emit(TlsHelloEvent e, Action<Measurement> emit)
    {
        if (e.Owner is { } owner && options.IgnoredProcesses.Contains(owner.Command)) return;
        emit(e);
    }

    // Its own method: the closure over emit is then made only when something is held, not for every packet.
    private void Release(ulong cookie, SocketOwner owner, Action<Measurement> emit) =>
        _waiting.Release(cookie, owner, (e, o) => Emit(e with { Owner = o }, emit));

    /// <summary>
    /// Every 100 ms: held hellos whose socket's owner is now known go out with it, those whose wait is over without it
    /// (all of them with <paramref name="all"/>, when stopping); segments waiting too long are counted as truncated.
    /// </summary>
    public void Tick(Action<Measurement> emit, bool all = false)
    {
        var now = Environment.TickCount64;
        _waiting.Tick(all, ownerOf, (e, o) => Emit(e with { Owner = o }, emit), e =>
        {
            Unowned++;
            Emit(e, emit);
        });
        foreach (var (key, pending) in _streams.ToList())
        {
            if (!all && pending.Deadline > now) continue;
            _streams.Remove(key);
            Truncated++;
        }
    }
}
