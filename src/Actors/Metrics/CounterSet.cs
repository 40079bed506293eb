namespace Ingrain.Actors.Metrics;

/// <summary>One thread-safe running count.</summary>
public sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long n) => Interlocked.Add(ref _value, n);
}

/// <summary>
/// A named group of <see cref="Counter"/>s that a component keeps beside its received/emitted/dropped/failed counts
/// (an exec step's timed-out runs, a listener's malformed lines). Thread-safe; prints as <c>name=value …</c>.
/// </summary>
public abstract class CounterSet
{
    private readonly List<(string Name, Counter Counter)> _all = [];

    /// <summary>Every counter with its current value, in definition order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() =>
        _all.Select(c => KeyValuePair.Create(c.Name, c.Counter.Value)).ToArray();

    /// <summary>Creates a counter printed as <paramref name="name"/>; call from the subclass's field initialisers.</summary>
    protected Counter Define(string name)
    {
        var counter = new Counter();
        _all.Add((name, counter));
        return counter;
    }

    public override string ToString() => string.Join(' ', _all.Select(c => $"{c.Name}={c.Counter.Value}"));
}
