namespace Ingrain.Model;

/// <summary>
/// What a backend writer did with the measurements it was given. The names carry <c>writer.</c> so that in a backend's
/// status, after the backend's own received/emitted/dropped/failed, <c>writer.dropped</c> and <c>writer.failed</c>
/// are told apart from the backend's <c>dropped</c> and <c>failed</c> (self-metrics and Prometheus name them
/// <c>ingrain.writer.sent</c>…).
/// </summary>
public sealed class BackendCounters : CounterSet
{
    /// <summary>What every writer counter's name starts with.</summary>
    public const string Prefix = "writer.";

    private readonly Counter _sent, _retried, _dropped, _spooled, _failed;

    public BackendCounters()
    {
        _sent = Define(Prefix + "sent");
        _retried = Define(Prefix + "retried");
        _dropped = Define(Prefix + "dropped");
        _spooled = Define(Prefix + "spooled");
        _failed = Define(Prefix + "failed");
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

    /// <summary>Adds what an earlier writer of the same backend counted: a reopened writer's counters go on from it.</summary>
    public void AddFrom(BackendCounters earlier)
    {
        _sent.Add(earlier.Sent);
        _retried.Add(earlier.Retried);
        _dropped.Add(earlier.Dropped);
        _spooled.Add(earlier.Spooled);
        _failed.Add(earlier.Failed);
    }

    public void AddSent(long n) => _sent.Add(n);
    public void AddRetried(long n = 1) => _retried.Add(n);
    public void AddDropped(long n) => _dropped.Add(n);
    public void AddSpooled(long n) => _spooled.Add(n);
    public void AddFailed(long n = 1) => _failed.Add(n);
}
