namespace Ingrain.Actors.Backends.S3;

/// <summary>
/// When the spool may be tried again: exponential pauses with jitter (half fixed, half random) between a first and a maximum delay,
/// back to "now" after a success. A schedule, not a loop: the writer asks it at each flush.
/// </summary>
internal sealed class RetrySchedule(TimeSpan first, TimeSpan max, TimeProvider time)
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
