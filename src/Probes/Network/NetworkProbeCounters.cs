namespace Ingrain.Probes.Network;

/// <summary>
/// The network probe's own counters, shown in the status after the common ones (each of the lost ones is also
/// part of <c>kernel-lost</c>). Thread-safe; totals across restarts (the module hands the same instance on).
/// </summary>
public sealed class NetworkProbeCounters : CounterSet
{
    private readonly Counter _connectionsUntracked, _volumeEntriesLost, _volumeBytesLost, _ownersLost, _unownedCloses;

    public NetworkProbeCounters()
    {
        _connectionsUntracked = Define("connections-untracked");
        _volumeEntriesLost = Define("volume-entries-lost");
        _volumeBytesLost = Define("volume-bytes-lost");
        _ownersLost = Define("owners-lost");
        _unownedCloses = Define("unowned-closes");
    }

    /// <summary>Connections the kernel could not track (connection map full).</summary>
    public long ConnectionsUntracked => _connectionsUntracked.Value;

    /// <summary>New {socket, process, peer} entries that found the volume map full.</summary>
    public long VolumeEntriesLost => _volumeEntriesLost.Value;

    /// <summary>The bytes those sends and receives carried (bytes, not records: not in kernel-lost).</summary>
    public long VolumeBytesLost => _volumeBytesLost.Value;

    /// <summary>Socket owners the shared owner map had no room for.</summary>
    public long OwnersLost => _ownersLost.Value;

    /// <summary>Closes reported with process_id 0: no accept named their process within owner-wait.</summary>
    public long UnownedCloses => _unownedCloses.Value;

    internal void Add(NetworkKernelErrors delta, long unowned)
    {
        _connectionsUntracked.Add(delta.ConnectionsUntracked);
        _volumeEntriesLost.Add(delta.VolumeEntriesLost);
        _volumeBytesLost.Add(delta.VolumeBytesLost);
        _ownersLost.Add(delta.OwnersLost);
        _unownedCloses.Add(unowned);
    }
}
