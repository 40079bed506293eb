using Ingrain.Native;

namespace Ingrain.Probes.Files;

/// <summary>
/// The user-space side of the kernel's monitored set and of <c>files_config</c>: writes the monitored {dev, ino} and
/// path hashes and their prefilter (an update adds the new ones, then removes the old, then bumps the generation so
/// cached verdicts are recomputed), and flips the epoch the read/write sums go to. Thread-safe.
/// </summary>
internal sealed class FilesControl(BpfMap config, BpfMap monitored, BpfMap monitoredPaths, BpfMap monitoredBloom)
{
    private readonly Lock _lock = new();
    private FilesConfig _config = new() { Epoch = 1, Generation = 1 };
    private MonitoredPaths _applied = new(new HashSet<MonitorKey>(), new HashSet<ulong>());

    public uint Epoch
    {
        get
        {
            lock (_lock) return _config.Epoch;
        }
    }

    public MonitoredPaths Applied
    {
        get
        {
            lock (_lock) return _applied;
        }
    }

    /// <summary>Makes <paramref name="next"/> the monitored set, in place.</summary>
    public void Apply(MonitoredPaths next)
    {
        lock (_lock)
        {
            foreach (var key in next.Keys) monitored.Update(key, (byte)1);
            foreach (var hash in next.Hashes) monitoredPaths.Update(hash, (byte)1);
            // The prefilter never hides a key that is in the hash: the old and the new keys' bits while both are there.
            WriteBloom(_applied.Keys.Concat(next.Keys));
            foreach (var key in _applied.Keys.Where(k => !next.Keys.Contains(k))) monitored.Delete(key);
            WriteBloom(next.Keys);
            foreach (var hash in _applied.Hashes.Where(h => !next.Hashes.Contains(h))) monitoredPaths.Delete(hash);
            _applied = next;
            _config.Generation++;
            config.Update(0u, _config);
        }
    }

    private void WriteBloom(IEnumerable<MonitorKey> keys) =>
        monitoredBloom.Update(BitConverter.GetBytes(0u), MonitorBloom.Of(keys));

    /// <summary>Sends new sums to the next epoch; returns the one that ended.</summary>
    public uint NextEpoch()
    {
        lock (_lock)
        {
            var ended = _config.Epoch;
            _config.Epoch++;
            config.Update(0u, _config);
            return ended;
        }
    }
}
