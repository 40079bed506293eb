namespace Ingrain.Backends.Retry;

/// <summary>
/// How long a backend leaves its peer alone after a delivery failed all its immediate retries: exponential pauses with
/// jitter (half fixed, half random) from <c>first</c> up to <c>max</c>, back to "now" after a success. A schedule,
/// not a loop: the serial writer asks <see cref="Due"/> at each write or flush and, while paused, only queues.
/// </summary>
internal sealed class OutagePause(TimeSpan first, TimeSpan max, TimeProvider time)
{
    private int _failures;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    public bool Due => time.GetUtcNow() >= _notBefore;

    public void Succeeded()
    {
        _failures = 0;
        _notBefore = DateTimeOffset.MinValue;
    }

    public void Failed()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30)));
        _failures++;
        var pause = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        _notBefore = time.GetUtcNow() + pause;
    }
}
