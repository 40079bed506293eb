using Ingrain.Native;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Network;

/// <summary>
/// Reads the kernel's volume sums every interval and reports what each {socket, process, peer} sent and received since
/// the last read. The kernel only ever adds to an entry; entries of sockets the kernel marked released (closed: no
/// process can add to them any more) are reported a last time and deleted, so no byte is lost between read and delete.
/// Not thread-safe: one caller (the probe's volume loop).
/// </summary>
internal sealed unsafe class VolumeCollector(BpfMap volumes, BpfMap released, TimeSpan interval, bool emitOut, bool emitIn,
    IReadOnlySet<string> ignoredProcesses)
{
    private readonly Dictionary<VolumeKey, (ulong Tx, ulong Rx)> _last = [];

    /// <summary>Entries that did not decode (an address family other than IPv4/IPv6, a protocol other than TCP/UDP).</summary>
    public long Malformed { get; private set; }

    public int Tracked => _last.Count;

    public void Collect(Action<Measurement> emit)
    {
        // Released first: an entry read after its socket was released holds its final sums.
        var closed = released.Keys<ulong>();
        var closedSet = closed.Count == 0 ? null : new HashSet<ulong>(closed);
        var now = Measurement.NowNanos();
        var seen = new HashSet<VolumeKey>();
        foreach (var key in volumes.Keys<VolumeKey>())
        {
            if (!volumes.TryLookup(key, out VolumeValue value)) continue;
            seen.Add(key);
            var last = _last.GetValueOrDefault(key);
            var tx = value.TxBytes - last.Tx;
            var rx = value.RxBytes - last.Rx;
            if (tx > 0 || rx > 0) Report(key, value, tx, rx, now, emit);
            if (closedSet is not null && closedSet.Contains(key.Cookie))
            {
                volumes.Delete(key);
                _last.Remove(key);
            }
            else
            {
                _last[key] = (value.TxBytes, value.RxBytes);
            }
        }
        foreach (var cookie in closed) released.Delete(cookie);
        if (_last.Count > seen.Count)
        {
            foreach (var gone in _last.Keys.Where(k => !seen.Contains(k)).ToList()) _last.Remove(gone);
        }
    }

    private void Report(in VolumeKey key, in VolumeValue value, ulong tx, ulong rx, long now, Action<Measurement> emit)
    {
        SocketTuple? tuple;
        string command;
        fixed (byte* s = value.Saddr)
        fixed (byte* comm = value.Comm)
        fixed (byte* d = key.Daddr)
        {
            tuple = SocketTuple.From(value.Protocol, value.SockFamily, new ReadOnlySpan<byte>(s, 16), value.Sport, key.Family,
                new ReadOnlySpan<byte>(d, 16), key.Dport);
            command = SocketOwnerRecord.CString(comm);
        }
        if (tuple is null)
        {
            Malformed++;
            return;
        }
        if (ignoredProcesses.Contains(command)) return;
        var pid = (int)key.Tgid;
        if (emitOut && tx > 0) emit(new VolumeEvent(now, true, pid, command, value.Uid, tuple, tx, value.TxCalls, interval, key.Cookie));
        if (emitIn && rx > 0) emit(new VolumeEvent(now, false, pid, command, value.Uid, tuple, rx, value.RxCalls, interval, key.Cookie));
    }
}
