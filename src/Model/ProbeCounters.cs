namespace Ingrain.Model;

/// <summary>
/// What one probe read, skipped and lost, across restarts. Written by the probe (malformed, kernel-lost,
/// handler-failures) and by its host (emitted, restarts).
/// </summary>
public sealed class ProbeCounters : CounterSet
{
    private readonly Counter _emitted, _malformed, _kernelLost, _handlerFailures, _restarts;

    public ProbeCounters()
    {
        _emitted = Define("emitted");
        _malformed = Define("malformed");
        _kernelLost = Define("kernel-lost");
        _handlerFailures = Define("handler-failures");
        _restarts = Define("restarts");
    }

    /// <summary>Measurements handed to the pipelines.</summary>
    public long Emitted => _emitted.Value;

    /// <summary>Records or input lines skipped because they could not be decoded.</summary>
    public long Malformed => _malformed.Value;

    /// <summary>Records the kernel could not reserve because the ring buffer was full.</summary>
    public long KernelLost => _kernelLost.Value;

    /// <summary>Records whose handling threw (skipped; the probe keeps reading).</summary>
    public long HandlerFailures => _handlerFailures.Value;

    /// <summary>Times the probe failed (to start or while reading) and was restarted.</summary>
    public long Restarts => _restarts.Value;

    private volatile string? _notAttached = "not attached yet";

    /// <summary>Whether the probe is attached now (running and reading); a state, not a count, so not in the snapshot.</summary>
    public bool Attached => _notAttached is null;

    /// <summary>Why the probe is not attached (the last attach error, or that it failed and waits for its restart).</summary>
    public string? NotAttachedReason => _notAttached;

    public void MarkAttached() => _notAttached = null;

    public void MarkNotAttached(string reason) => _notAttached = reason;

    public void AddEmitted(long n = 1) => _emitted.Add(n);
    public void AddMalformed(long n = 1) => _malformed.Add(n);
    public void AddKernelLost(long n) => _kernelLost.Add(n);
    public void AddHandlerFailures(long n = 1) => _handlerFailures.Add(n);
    public void AddRestart() => _restarts.Increment();
}
