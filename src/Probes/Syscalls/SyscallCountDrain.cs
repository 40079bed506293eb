using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Syscalls;

/// <summary>
/// Reads and resets the kernel's counts once per interval, exactly: flips <c>generation</c> so the programs count into
/// the other pair of maps, waits until no program can still be counting into the old pair (an update of
/// <c>drain_barrier</c>, a map-in-map, returns only after an RCU grace period), then reads, reports and deletes every
/// entry of the old pair, which nothing writes any more. Not thread-safe: one caller at a time (the probe locks).
/// </summary>
internal sealed unsafe class SyscallCountDrain
{
    private readonly BpfMap _generation, _barrier, _barrierInner;
    private readonly (BpfMap Counts, BpfMap Comms)[] _maps;
    private readonly SyscallNames _names;
    private readonly IReadOnlySet<string> _ignoredProcesses;
    private readonly byte[] _perCpu;
    private uint _current;

    public SyscallCountDrain(BpfObject obj, SyscallNames names, IReadOnlySet<string> ignoredProcesses)
    {
        _generation = obj.Map("generation");
        _barrier = obj.Map("drain_barrier");
        _barrierInner = obj.Map("barrier_inner");
        _maps = [(obj.Map("counts_0"), obj.Map("comms_0")), (obj.Map("counts_1"), obj.Map("comms_1"))];
        _names = names;
        _ignoredProcesses = ignoredProcesses;
        _perCpu = new byte[_maps[0].Counts.PerCpuValueSize];
        _generation.Update(0u, _current);
    }

    /// <summary>Reports every (process, syscall) pair counted since the last drain, then empties it.</summary>
    public void Drain(Action<Measurement> emit)
    {
        var old = _current;
        _current ^= 1;
        _generation.Update(0u, _current);
        _barrier.Update(0u, _barrierInner.Fd);
        var (counts, comms) = _maps[old];
        var now = Measurement.NowNanos();
        var names = new Dictionary<uint, string>();
        foreach (var tgid in comms.Keys<uint>())
        {
            if (comms.TryLookup(tgid, out SyscallComm comm)) names[tgid] = SocketOwnerRecord.CString(comm.Comm);
            comms.Delete(tgid);
        }
        foreach (var key in counts.Keys<SyscallKey>())
        {
            var calls = Sum(counts, key);
            counts.Delete(key);
            if (calls == 0) continue;
            var command = names.GetValueOrDefault(key.Tgid, "");
            if (_ignoredProcesses.Contains(command)) continue;
            emit(new SyscallEvent(now, (int)key.Tgid, command, (int)key.Nr, _names.NameOf((int)key.Nr), calls));
        }
    }

    private ulong Sum(BpfMap counts, SyscallKey key)
    {
        if (!counts.TryLookup(new ReadOnlySpan<byte>(&key, sizeof(SyscallKey)), _perCpu)) return 0;
        ulong sum = 0;
        foreach (var v in MemoryMarshal.Cast<byte, ulong>(_perCpu)) sum += v;
        return sum;
    }
}
