namespace Ingrain.Model;

/// <summary>What a backend writer did with the measurements it was given.</summary>
public sealed class BackendCounters : CounterSet
{
    private readonly Counter _sent, _retried, _dropped, _spooled, _failed;

    public BackendCounters()
    {
        _sent = Define("sent");
        _retried = Define("retried");
        _dropped = Define("dropped");
        _spooled = Define("spooled");
        _failed = Define("failed");
    }

    /// <summary>Measurements delivered.</summary>
    public long Sent => _sent.Value;

    /// <summary>Requests retried (one per retry, not per measurement).</summary>
    public long Retried => _retried.Value;

    /// <summary>Measurements given up on (bounded buffers full, retries exhausted).</summary>
    public long Dropped => _dropped.Value;

    /// <summary>Measurements written to the local spool while the destination was unreachable.</summary>
    public long Spooled => _spooled.Value;

    /// <summary>Failed requests or writes.</summary>
    public long Failed => _failed.Value;

    public void AddSent(long n) => _sent.Add(n);
    public void AddRetried(long n = 1) => _retried.Add(n);
    public void AddDropped(long n) => _dropped.Add(n);
    public void AddSpooled(long n) => _spooled.Add(n);
    public void AddFailed(long n = 1) => _failed.Add(n);
}
