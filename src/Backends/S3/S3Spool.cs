using System.Globalization;
using Ingrain.Topology.Security;
using Microsoft.Extensions.Logging;
using Ingrain.Backends.Partitions;

namespace Ingrain.Backends.S3;

/// <summary>A batch waiting in the spool: its file, the object key it will be uploaded under, and its size.</summary>
public sealed record SpooledBatch(string Path, string Key, int Count, long Size);

/// <summary>
/// The S3 backend's durable spool: one file per batch (the gzipped NDJSON body, exactly as it will be uploaded),
/// named <c>&lt;order&gt;_&lt;count&gt;_&lt;escaped key&gt;.batch</c> so a restarted agent finds the key and the
/// measurement count again and uploads under the same key (a batch uploaded twice overwrites itself).
/// Files are written to a temporary name, synced, renamed and the directory synced, so neither a kill nor a power
/// failure leaves half a batch behind or loses one that was reported spooled (a leftover <c>.tmp</c> is a write
/// that never completed, deleted at start). Bounded by bytes: making room evicts the oldest batches (counted as dropped).
/// The spool holds an exclusive lock (<c>.lock</c>) on its directory until disposed: a second spool on the same
/// directory, in this process or another, fails instead of adopting the other's batches.
/// </summary>
public sealed class S3Spool : IDisposable
{
    private const string Extension = ".batch";
    private const string TempExtension = ".tmp";
    private const string LockName = ".lock";

    private readonly string _dir;
    private readonly long _maxBytes;
    private readonly BackendCounters _counters;
    private readonly ILogger _logger;
    private readonly SortedDictionary<string, SpooledBatch> _batches = new(StringComparer.Ordinal);
    private readonly FileStream _lock;

    public S3Spool(string dir, long maxBytes, BackendCounters counters, ILogger logger)
    {
        _dir = dir;
        _maxBytes = maxBytes;
        _counters = counters;
        _logger = logger;
        try
        {
            if (OperatingSystem.IsLinux()) Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            else Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"S3 spool directory '{dir}' cannot be created ({e.Message}): set spool-dir to a writable directory.", e);
        }
        _lock = Lock(dir);
        foreach (var path in Directory.EnumerateFiles(dir))
        {
            var name = System.IO.Path.GetFileName(path);
            if (name == LockName) continue;
            if (name.EndsWith(TempExtension, StringComparison.Ordinal)) File.Delete(path); // a write cut short by a kill
            else if (TryParse(path, out var batch)) Add(name, batch);
            else _logger.LogWarning("S3 spool: ignoring unknown file {Path}", path);
        }
    }

    public int Count => _batches.Count;

    /// <summary>Releases the directory lock; the batches stay on disk for the next spool.</summary>
    public void Dispose() => _lock.Dispose();

    private static FileStream Lock(string dir)
    {
        var path = System.IO.Path.Combine(dir, LockName);
        try
        {
            // An exclusive flock(2), held until disposed and released by the kernel if the process dies; the file is opened
            // without following links and kept 0600.
            var file = SecureFile.OpenOrCreate(path, SecureFile.PrivateMode);
            if (Posix.TryLockExclusive(file.SafeFileHandle)) return file;
            file.Dispose();
            throw new IOException($"{path} is locked by another spool");
        }
        catch (IOException e)
        {
            throw new S3SpoolInUseException(dir, e);
        }
    }

    /// <summary>Bytes on disk.</summary>
    public long Bytes { get; private set; }

    /// <summary>Measurements held.</summary>
    public long Measurements => _batches.Values.Sum(b => (long)b.Count);

    /// <summary>
    /// Writes a batch durably, first evicting the oldest batches if it would not fit. Returns false (and counts the
    /// batch as dropped) when it cannot be stored: larger than the whole spool, or the disk refused it.
    /// </summary>
    public bool TryAdd(string key, int count, ReadOnlySpan<byte> body)
    {
        if (body.Length > _maxBytes)
        {
            _counters.AddDropped(count);
            _logger.LogError("S3 spool: a batch of {Bytes} bytes is larger than the whole spool ({Max}); dropped {Count} measurements",
                body.Length, _maxBytes, count);
            return false;
        }
        while (Bytes + body.Length > _maxBytes && _batches.Count > 0) Evict(_batches.First().Value);

        var name = $"{System.IO.Path.GetFileNameWithoutExtension(System.IO.Path.GetFileNameWithoutExtension(PartitionedKey.FileName(key)))}_{count}_{Uri.EscapeDataString(key)}{Extension}";
        var path = System.IO.Path.Combine(_dir, name);
        var temp = System.IO.Path.Combine(_dir, "." + name + TempExtension);
        try
        {
            using (var file = SecureFile.Create(temp, SecureFile.PrivateMode))
            {
                file.Write(body);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            _counters.AddDropped(count);
            _logger.LogError("S3 spool: cannot write {Path} ({Error}); dropped {Count} measurements", path, e.Message, count);
            return false;
        }
        SyncDirectory();
        Add(name, new SpooledBatch(path, key, count, body.Length));
        _counters.AddSpooled(count);
        return true;
    }

    public bool TryPeekOldest(out SpooledBatch batch)
    {
        foreach (var b in _batches.Values)
        {
            batch = b;
            return true;
        }
        batch = null!;
        return false;
    }

    /// <summary>The batch's body, or null when its file vanished (it is then forgotten).</summary>
    public byte[]? Read(SpooledBatch batch)
    {
        try
        {
            return File.ReadAllBytes(batch.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("S3 spool: cannot read {Path} ({Error}); {Count} measurements lost", batch.Path, e.Message, batch.Count);
            _counters.AddDropped(batch.Count);
            Forget(batch);
            return null;
        }
    }

    /// <summary>Deletes a delivered batch.</summary>
    public void Remove(SpooledBatch batch)
    {
        TryDelete(batch.Path);
        Forget(batch);
    }

    // The batch is in place either way; only its survival of a power failure is in doubt.
    private void SyncDirectory()
    {
        try
        {
            DirectorySync.Flush(_dir);
        }
        catch (IOException e)
        {
            _logger.LogWarning("S3 spool: {Error}; a power failure now may lose the last spooled batch", e.Message);
        }
    }

    private void Evict(SpooledBatch oldest)
    {
        Remove(oldest);
        _counters.AddDropped(oldest.Count);
        _logger.LogWarning("S3 spool: full ({Max} bytes); dropped the oldest batch {Key} of {Count} measurements",
            _maxBytes, oldest.Key, oldest.Count);
    }

    private void Add(string name, SpooledBatch batch)
    {
        if (_batches.TryGetValue(name, out var previous)) Bytes -= previous.Size;
        _batches[name] = batch;
        Bytes += batch.Size;
    }

    private void Forget(SpooledBatch batch)
    {
        var name = System.IO.Path.GetFileName(batch.Path);
        if (_batches.Remove(name)) Bytes -= batch.Size;
    }

    private static bool TryParse(string path, out SpooledBatch batch)
    {
        batch = null!;
        var name = System.IO.Path.GetFileName(path);
        if (!name.EndsWith(Extension, StringComparison.Ordinal)) return false;
        var parts = name[..^Extension.Length].Split('_', 3);
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)) return false;
        batch = new SpooledBatch(path, Uri.UnescapeDataString(parts[2]), count, new FileInfo(path).Length);
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Nothing more to do: an unknown leftover is ignored or overwritten later.
        }
    }
}
