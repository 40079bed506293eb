using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Network;

/// <summary>
/// Turns connection records into <see cref="ConnectionEvent"/>s. A close that arrives without an owner (the connection
/// ended before any process accepted it) is held for the owner wait: the accept that follows names it and the close
/// is emitted after it; else it goes out with process_id 0. Records too short, with an unknown opcode or kind, or
/// with an address family other than IPv4/IPv6 are counted in <see cref="Malformed"/> and skipped.
/// Not thread-safe: the probe serializes calls.
/// </summary>
internal sealed unsafe class NetworkDecoder(BootClock clock, TimeSpan ownerWait, IReadOnlySet<string> ignoredProcesses)
{
    private readonly Dictionary<ulong, (ConnectionEvent Close, long Deadline)> _held = [];

    public long Malformed { get; private set; }

    /// <summary>Closes emitted without an owner because no accept named one within the owner wait.</summary>
    public long Unowned { get; private set; }

    public int Held => _held.Count;

    public void Decode(ReadOnlySpan<byte> record, Action<Measurement> emit)
    {
        if (record.Length < sizeof(ConnectionRecord) || (OpCode)record[0] != OpCode.Connection)
        {
            Malformed++;
            return;
        }
        ref readonly var r = ref Unsafe.As<byte, ConnectionRecord>(ref MemoryMarshal.GetReference(record));
        var tuple = Tuple(r.Tuple);
        if (tuple is null || r.Kind is < ConnectionRecord.KindOut or > ConnectionRecord.KindClose)
        {
            Malformed++;
            return;
        }
        var owner = (r.Flags & ConnectionRecord.FlagNoOwner) != 0 ? null : r.Owner.ToOwner();
        if (owner is not null && ignoredProcesses.Contains(owner.Command)) return;
        var kind = r.Kind switch
        {
            ConnectionRecord.KindOut => ConnectionKind.Out,
            ConnectionRecord.KindIn => ConnectionKind.In,
            _ => ConnectionKind.Close,
        };
        var ev = new ConnectionEvent(clock.ToUnixNanos(r.BootNs), kind, owner, tuple, r.Cookie,
            kind == ConnectionKind.Out && r.Error != 0 ? ErrnoNames.Of(r.Error) : null,
            r.TxBytes, r.RxBytes, r.DurationNs, (r.Flags & ConnectionRecord.FlagPartial) != 0);

        if (kind == ConnectionKind.Close && owner is null)
        {
            _held[r.Cookie] = (ev, Environment.TickCount64 + (long)ownerWait.TotalMilliseconds);
            return;
        }
        emit(ev);
        if (kind == ConnectionKind.In && owner is not null && _held.Remove(r.Cookie, out var held))
            emit(WithOwner(held.Close, owner));
    }

    /// <summary>Emits the held closes whose wait is over (all of them with <paramref name="all"/>, when stopping).</summary>
    public void FlushExpired(Action<Measurement> emit, bool all = false)
    {
        if (_held.Count == 0) return;
        var now = Environment.TickCount64;
        List<ulong>? done = null;
        foreach (var (cookie, (close, deadline)) in _held)
        {
            if (!all && deadline > now) continue;
            (done ??= []).Add(cookie);
            Unowned++;
            emit(close);
        }
        if (done is not null)
            foreach (var cookie in done) _held.Remove(cookie);
    }

    private static ConnectionEvent WithOwner(ConnectionEvent e, SocketOwner owner) =>
        new(e.Timestamp, e.ConnectionKind, owner, e.Tuple, e.Cookie, e.Error, e.TxBytes, e.RxBytes, e.DurationNs, e.Partial);

    internal static SocketTuple? Tuple(in SockTupleRecord t)
    {
        fixed (byte* s = t.Saddr)
        fixed (byte* d = t.Daddr)
        {
            return SocketTuple.From(t.Protocol, t.Family, new ReadOnlySpan<byte>(s, 16), t.Sport, new ReadOnlySpan<byte>(d, 16), t.Dport);
        }
    }
}
