namespace Ingrain.Probes.Tls;

/// <summary>The TLS probe's own counters, shown in the status after the common ones. Thread-safe; totals across restarts.</summary>
public sealed class TlsProbeCounters : CounterSet
{
    private readonly Counter _duplicates, _unowned, _truncated, _reassembled, _ownersLost;

    public TlsProbeCounters()
    {
        _duplicates = Define("duplicates");
        _unowned = Define("unowned");
        _truncated = Define("truncated");
        _reassembled = Define("tcp-reassembled");
        _ownersLost = Define("owners-lost");
    }

    /// <summary>Hellos seen a second time by the same socket in the same direction (retransmits), reported once.</summary>
    public long Duplicates => _duplicates.Value;

    /// <summary>Hellos reported with process_id 0: no owner of their socket became known within owner-wait.</summary>
    public long Unowned => _unowned.Value;

    /// <summary>Hellos not reported because only part of them was seen: longer than the capture or the reassembly bound,
    /// or the next segment never came in order.</summary>
    public long Truncated => _truncated.Value;

    /// <summary>Hellos put together from more than one TCP segment.</summary>
    public long TcpReassembled => _reassembled.Value;

    /// <summary>Socket owners the shared owner map had no room for (also in kernel-lost).</summary>
    public long OwnersLost => _ownersLost.Value;

    internal void Add(long duplicates, long unowned, long truncated, long reassembled, long ownersLost)
    {
        _duplicates.Add(duplicates);
        _unowned.Add(unowned);
        _truncated.Add(truncated);
        _reassembled.Add(reassembled);
        _ownersLost.Add(ownersLost);
    }
}
