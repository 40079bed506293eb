using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// What one pipeline component (probe, step or backend) did with its messages, counted in measurements.
/// Thread-safe: written by the component, read by anyone (status, tests).
/// </summary>
public sealed class ComponentCounters
{
    private long _received, _emitted, _dropped, _failed;
    private volatile CounterSet? _details;

    /// <summary>Measurements handed to the component.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Measurements the component passed downstream.</summary>
    public long Emitted => Interlocked.Read(ref _emitted);

    /// <summary>Measurements deliberately not passed on: filtered out, over a bound, or refused by a full mailbox.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Measurements whose processing threw.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public void AddReceived(long n = 1) => Interlocked.Add(ref _received, n);
    public void AddEmitted(long n = 1) => Interlocked.Add(ref _emitted, n);
    public void AddDropped(long n = 1) => Interlocked.Add(ref _dropped, n);
    public void AddFailed(long n = 1) => Interlocked.Add(ref _failed, n);

    /// <summary>The component's own counters (e.g. an exec step's rate-limited runs), if it attached any.</summary>
    public CounterSet? Details => _details;

    /// <summary>Attaches a component's own counters so status reports and logs show them beside the four above.</summary>
    public void AttachDetails(CounterSet details) => _details = details;

    public override string ToString() =>
        $"received={Received} emitted={Emitted} dropped={Dropped} failed={Failed}" + (_details is { } d ? $" {d}" : "");
}
