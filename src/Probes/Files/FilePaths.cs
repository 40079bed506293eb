namespace Ingrain.Probes.Files;

/// <summary>
/// The path of each monitored file by {dev, ino}, learnt from the kernel's open and path records, for naming the
/// read/write sums. The kernel announces a file's path again whenever a process's first read or write of it in an
/// interval is counted, so two generations suffice: <see cref="Age"/> (once per interval) forgets what was not seen
/// for two intervals. Thread-safe (the ring reader writes, the interval loop reads).
/// </summary>
internal sealed class FilePaths
{
    private readonly Lock _lock = new();
    private Dictionary<MonitorKey, string> _current = [];
    private Dictionary<MonitorKey, string> _previous = [];

    public void Remember(uint dev, ulong ino, string path)
    {
        lock (_lock) _current[new MonitorKey(dev, ino)] = path;
    }

    public string? Find(uint dev, ulong ino)
    {
        var key = new MonitorKey(dev, ino);
        lock (_lock)
        {
            if (_current.TryGetValue(key, out var path)) return path;
            if (!_previous.TryGetValue(key, out path)) return null;
            _current[key] = path;
            return path;
        }
    }

    public void Age()
    {
        lock (_lock)
        {
            _previous = _current;
            _current = [];
        }
    }

    public int Count
    {
        get
        {
            lock (_lock) return _current.Count + _previous.Count;
        }
    }
}
