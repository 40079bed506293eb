namespace Ingrain.Actors.Backends;

/// <summary>
/// What a backend did with the measurements it was given. Thread-safe: written by the backend, read by anyone.
/// </summary>
public sealed class BackendCounters
{
    private long _sent, _retried, _dropped, _spooled, _failed;

    /// <summary>Measurements delivered to the destination.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Send attempts repeated after a transient failure.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Measurements given up on (rejected by the destination, or evicted from a full spool).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Measurements written to the local spool for a later retry.</summary>
    public long Spooled => Interlocked.Read(ref _spooled);

    /// <summary>Failed send attempts (each, whether retried or not).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public void AddSent(long n) => Interlocked.Add(ref _sent, n);
    public void AddRetried(long n = 1) => Interlocked.Add(ref _retried, n);
    public void AddDropped(long n) => Interlocked.Add(ref _dropped, n);
    public void AddSpooled(long n) => Interlocked.Add(ref _spooled, n);
    public void AddFailed(long n = 1) => Interlocked.Add(ref _failed, n);

    public override string ToString() =>
        $"sent={Sent} retried={Retried} dropped={Dropped} spooled={Spooled} failed={Failed}";
}
