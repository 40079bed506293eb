namespace Ingrain.Model;

/// <summary>What one step or backend did with its messages, counted in measurements.</summary>
public sealed class ComponentCounters : CounterSet
{
    private readonly Counter _received, _emitted, _dropped, _failed;

    public ComponentCounters()
    {
        _received = Define("received");
        _emitted = Define("emitted");
        _dropped = Define("dropped");
        _failed = Define("failed");
    }

    public long Received => _received.Value;

    public long Emitted => _emitted.Value;

    /// <summary>Dropped on purpose (filtered, rate-limited, overflow).</summary>
    public long Dropped => _dropped.Value;

    /// <summary>Lost to an error (a step that threw, a backend write that failed).</summary>
    public long Failed => _failed.Value;

    public void AddReceived(long n = 1) => _received.Add(n);
    public void AddEmitted(long n = 1) => _emitted.Add(n);
    public void AddDropped(long n = 1) => _dropped.Add(n);
    public void AddFailed(long n = 1) => _failed.Add(n);
}
