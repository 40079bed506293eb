namespace Ingrain.Agent;

/// <summary>
/// Calls back when the configuration file changes, once per burst of change events (editors write a file in several
/// steps: truncate, write, rename), after <c>debounce</c> of quiet.
/// </summary>
internal sealed class ConfigFileWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private readonly TimeSpan _debounce;

    private ConfigFileWatcher(string path, TimeSpan debounce, Action changed)
    {
        var full = Path.GetFullPath(path);
        _debounce = debounce;
        _timer = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Touch();
        _watcher.Created += (_, _) => Touch();
        _watcher.Renamed += (_, _) => Touch();
        _watcher.EnableRaisingEvents = true;
    }

    public static ConfigFileWatcher Start(string path, TimeSpan debounce, Action changed) => new(path, debounce, changed);

    private void Touch() => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }
}
