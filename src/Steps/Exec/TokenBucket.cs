namespace Ingrain.Steps.Exec;

/// <summary>
/// A token bucket: up to <c>ratePerSecond</c> takes per second on average, with bursts up to one second's worth.
/// Time comes from a <see cref="TimeProvider"/> so tests can control it. Not thread-safe.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, TimeProvider time)
    {
        _rate = ratePerSecond;
        _capacity = Math.Max(1, ratePerSecond);
        _time = time;
        _tokens = _capacity;
        _last = time.GetTimestamp();
    }

    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _rate);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
