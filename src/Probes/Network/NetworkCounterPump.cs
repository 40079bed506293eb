namespace Ingrain.Probes.Network;

/// <summary>
/// Copies what the network object's kernel side and the decoder counted into <see cref="NetworkProbeCounters"/>, as
/// deltas (a new probe's maps start at zero, the counters keep their totals). <see cref="KernelLost"/> is this
/// probe's running total of lost records, for the common kernel-lost counter. Called by one thread at a time.
/// </summary>
internal sealed class NetworkCounterPump(Func<NetworkKernelErrors> read, Func<long> unowned, NetworkProbeCounters counters)
{
    private NetworkKernelErrors _seen = new(0, 0, 0, 0);
    private long _unowned;

    /// <summary>Records the kernel side lost so far (the last reading's <see cref="NetworkKernelErrors.Total"/>).</summary>
    public long KernelLost => _seen.Total;

    public void Publish()
    {
        var now = read();
        var unownedNow = unowned();
        counters.Add(new NetworkKernelErrors(now.ConnectionsUntracked - _seen.ConnectionsUntracked, now.VolumeEntriesLost - _seen.VolumeEntriesLost,
            now.VolumeBytesLost - _seen.VolumeBytesLost, now.OwnersLost - _seen.OwnersLost), unownedNow - _unowned);
        _seen = now;
        _unowned = unownedNow;
    }
}
