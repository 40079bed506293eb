namespace Ingrain.Actors.Pipeline;

/// <summary>Counts consecutive failures of one component and says how long to wait before its next rebuild.</summary>
internal sealed class RestartBackoff(BackoffSpec spec, TimeProvider time)
{
    private int _failures;
    private long _lastFailure;

    public int Failures => _failures;

    public TimeSpan Next()
    {
        var now = time.GetTimestamp();
        if (_failures > 0 && time.GetElapsedTime(_lastFailure, now) > spec.ResetAfter) _failures = 0;
        _failures++;
        _lastFailure = now;
        return spec.Delay(_failures, Random.Shared.NextDouble());
    }
}
