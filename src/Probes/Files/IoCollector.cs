using Ingrain.Native;

namespace Ingrain.Probes.Files;

/// <summary>
/// Reads the kernel's read/write sums every interval. The kernel adds to entries of the current epoch only; the
/// collector moves it to the next, waits for calls still counting into the old one (a program runs for microseconds,
/// the wait is <see cref="Grace"/>), then reads and deletes every entry of the old epoch: no byte is counted twice or
/// lost between the read and the delete. A sum whose file has no known path yet waits one more interval for its
/// path record, then goes out with an empty path (counted). Not thread-safe: one caller (the probe's interval loop).
/// </summary>
internal sealed class IoCollector(BpfMap io, FilesControl control, FilePaths paths, TimeSpan interval, bool emitRead, bool emitWrite,
    IReadOnlySet<string> ignoredProcesses)
{
    internal static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(100);

    private List<(IoKey Key, IoValue Value)> _waiting = [];

    public long PathsUnknown { get; private set; }

    /// <param name="all">Stopping: every entry, of any epoch, and nothing waits.</param>
    public async Task CollectAsync(Action<Measurement> emit, bool all = false)
    {
        var ended = control.NextEpoch();
        // Gives the calls in flight time to finish, and the ring reader time to decode the path records before them.
        await Task.Delay(Grace).ConfigureAwait(false);
        var now = Measurement.NowNanos();
        var waiting = new List<(IoKey, IoValue)>();
        foreach (var (key, value) in _waiting) Report(key, value, now, emit, waiting, waitedOnce: true);
        foreach (var key in io.Keys<IoKey>())
        {
            if (!all && key.Epoch > ended) continue;
            if (!io.TryLookup(key, out IoValue value)) continue;
            io.Delete(key);
            Report(key, value, now, emit, waiting, waitedOnce: all);
        }
        _waiting = waiting;
        paths.Age();
    }

    private unsafe void Report(in IoKey key, in IoValue value, long now, Action<Measurement> emit, List<(IoKey, IoValue)> waiting, bool waitedOnce)
    {
        string command;
        fixed (byte* comm = value.Comm) command = FilesDecoder.CString(new ReadOnlySpan<byte>(comm, 16));
        if (ignoredProcesses.Contains(command)) return;
        var path = paths.Find(key.Dev, key.Ino);
        if (path is null)
        {
            if (!waitedOnce)
            {
                waiting.Add((key, value));
                return;
            }
            PathsUnknown++;
            path = "";
        }
        var dev = DeviceNumbers.KernelToStat(key.Dev);
        if (emitRead && value.ReadBytes > 0)
            emit(new FileIoEvent(now, false, (int)key.Tgid, command, path, key.Ino, dev, value.ReadBytes, value.ReadCalls, interval));
        if (emitWrite && value.WriteBytes > 0)
            emit(new FileIoEvent(now, true, (int)key.Tgid, command, path, key.Ino, dev, value.WriteBytes, value.WriteCalls, interval));
    }
}
