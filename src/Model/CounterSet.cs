namespace Ingrain.Model;

/// <summary>One monotonically increasing count. Thread-safe.</summary>
public sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long n) => Interlocked.Add(ref _value, n);
}

/// <summary>
/// The one counter shape: named counters in a fixed order, written by the component that owns them and read by
/// anyone (status, self-metrics, tests). A set may carry a second set of details (a probe's or step's own
/// counters), which its snapshot appends.
/// </summary>
public abstract class CounterSet
{
    private readonly List<(string Name, Counter Counter)> _all = [];
    private volatile CounterSet? _details;

    /// <summary>Every counter's name and value, the attached details last.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot()
    {
        var own = _all.Select(c => KeyValuePair.Create(c.Name, c.Counter.Value));
        return (_details is { } d ? own.Concat(d.Snapshot()) : own).ToArray();
    }

    /// <summary>The component's own counters, shown after the common ones.</summary>
    public CounterSet? Details => _details;

    public void AttachDetails(CounterSet details) => _details = details;

    protected Counter Define(string name)
    {
        var counter = new Counter();
        _all.Add((name, counter));
        return counter;
    }

    public override string ToString() => string.Join(' ', Snapshot().Select(c => $"{c.Key}={c.Value}"));
}
