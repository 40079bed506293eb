namespace Ingrain.Probes.Packets;

/// <summary>
/// What a probe on the shared packet capture counts besides the common counters (its DNS messages, its TLS hellos),
/// shown in the status after them. Thread-safe; totals across restarts (the module hands the same instance on).
/// </summary>
public abstract class PacketProbeCounters : CounterSet
{
    private readonly Counter _duplicates, _unowned, _truncated, _reassembled, _ownersLost;

    protected PacketProbeCounters()
    {
        _duplicates = Define("duplicates");
        _unowned = Define("unowned");
        _truncated = Define("truncated");
        _reassembled = Define("tcp-reassembled");
        _ownersLost = Define("owners-lost");
    }

    /// <summary>Messages seen a second time by the same socket in the same direction (retransmits), reported once.</summary>
    public long Duplicates => _duplicates.Value;

    /// <summary>Messages reported with process_id 0: no owner of their socket became known within owner-wait.</summary>
    public long Unowned => _unowned.Value;

    /// <summary>Messages not (fully) reported because only part of them was seen: longer than the capture or the
    /// reassembly bound, or a TCP message whose next segment never came in order.</summary>
    public long Truncated => _truncated.Value;

    /// <summary>TCP messages put together from more than one segment.</summary>
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
