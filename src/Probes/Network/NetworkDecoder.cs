using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Names;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Network;

/// <summary>
/// Turns connection records into <see cref="ConnectionEvent"/>s. A close that arrives without an owner (the connection
/// ended before any process accepted it) is held for the owner wait: the accept that follows names it and the close
/// is emitted after it; else it goes out with process_id 0. Records too short, with an unknown opcode or kind, or
/// with an address family other than IPv4/IPv6 are counted in <see cref="Malformed"/> and skipped.
/// A connection.out (and its close) carries the name its process resolved to the remote address (<paramref name="names"/>,
/// filled by the DNS probe); while a DNS probe runs, a connection.out without one waits up to <see cref="NameWait"/>
/// for the DNS probe to read the answer that led to it.
/// Not thread-safe: the probe serializes calls.
/// </summary>
internal sealed unsafe class NetworkDecoder(BootClock clock, TimeSpan ownerWait, IReadOnlySet<string> ignoredProcesses, ResolvedNames? names = null)
{
    /// <summary>Longer than the DNS probe's longest ring wake-up delay (50 ms) plus a reader pass.</summary>
    internal static readonly TimeSpan NameWait = TimeSpan.FromMilliseconds(150);

    private const int MaxNamedConnections = 65536;

    private readonly Dictionary<ulong, (ConnectionEvent Close, long Deadline)> _held = [];
    private readonly Dictionary<ulong, (ConnectionEvent Out, ConnectionEvent? Close, long Deadline)> _unnamed = [];
    private readonly Dictionary<ulong, string> _connectionNames = [];

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
        var name = kind switch
        {
            ConnectionKind.Out => Name(owner, tuple),
            ConnectionKind.Close => _connectionNames.Remove(r.Cookie, out var known) ? known : Name(owner, tuple),
            _ => null,
        };
        var ev = new ConnectionEvent(clock.ToUnixNanos(r.BootNs), kind, owner, tuple, r.Cookie,
            kind == ConnectionKind.Out && r.Error != 0 ? ErrnoNames.Of(r.Error) : null,
            r.TxBytes, r.RxBytes, r.DurationNs, (r.Flags & ConnectionRecord.FlagPartial) != 0, name);

        switch (kind)
        {
            case ConnectionKind.Out when name is null && names is { HasSources: true }:
                _unnamed[r.Cookie] = (ev, null, Environment.TickCount64 + (long)NameWait.TotalMilliseconds);
                return;
            case ConnectionKind.Out:
                EmitNamed(ev, emit);
                return;
            case ConnectionKind.Close when _unnamed.TryGetValue(r.Cookie, out var waiting):
                // The connection.out still waits for its name: the close follows it, with the same name.
                _unnamed[r.Cookie] = waiting with { Close = ev };
                return;
            case ConnectionKind.Close:
                EmitClose(ev, emit);
                return;
        }
        emit(ev);
        if (owner is not null && _held.Remove(r.Cookie, out var held))
            emit(WithOwner(held.Close, owner));
    }

    private void EmitClose(ConnectionEvent close, Action<Measurement> emit)
    {
        if (close.Owner is null)
        {
            _held[close.Cookie] = (close, Environment.TickCount64 + (long)ownerWait.TotalMilliseconds);
            return;
        }
        emit(close);
    }

    private string? Name(SocketOwner? owner, SocketTuple tuple) => names?.Find(owner?.ProcessId ?? 0, tuple.Remote, Environment.TickCount64);

    /// <summary>A connection.out, named if its name is known by now; an established one keeps its name for its close.</summary>
    private void EmitNamed(ConnectionEvent ev, Action<Measurement> emit)
    {
        if (ev.RemoteName is null && Name(ev.Owner, ev.Tuple) is { } name) ev = WithName(ev, name);
        if (ev.RemoteName is { } known && ev.Error is null && _connectionNames.Count < MaxNamedConnections) _connectionNames[ev.Cookie] = known;
        emit(ev);
    }

    /// <summary>Emits the held closes and unnamed connection.outs whose wait is over (all of them with <paramref name="all"/>, when stopping).</summary>
    public void FlushExpired(Action<Measurement> emit, bool all = false)
    {
        var now = Environment.TickCount64;
        if (_unnamed.Count > 0)
        {
            foreach (var (cookie, (ev, close, deadline)) in _unnamed.ToList())
            {
                if (!all && deadline > now) continue;
                _unnamed.Remove(cookie);
                EmitNamed(ev, emit);
                if (close is null) continue;
                _connectionNames.Remove(cookie, out var name);
                EmitClose(name is null ? close : WithName(close, name), emit);
            }
        }
        if (_held.Count == 0) return;
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

    private static ConnectionEvent WithName(ConnectionEvent e, string name) =>
        new(e.Timestamp, e.ConnectionKind, e.Owner, e.Tuple, e.Cookie, e.Error, e.TxBytes, e.RxBytes, e.DurationNs, e.Partial, name);

    private static ConnectionEvent WithOwner(ConnectionEvent e, SocketOwner owner) =>
        new(e.Timestamp, e.ConnectionKind, owner, e.Tuple, e.Cookie, e.Error, e.TxBytes, e.RxBytes, e.DurationNs, e.Partial, e.RemoteName);

    internal static SocketTuple? Tuple(in SockTupleRecord t)
    {
        fixed (byte* s = t.Saddr)
        fixed (byte* d = t.Daddr)
        {
            return SocketTuple.From(t.Protocol, t.Family, new ReadOnlySpan<byte>(s, 16), t.Sport, new ReadOnlySpan<byte>(d, 16), t.Dport);
        }
    }
}
