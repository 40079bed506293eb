namespace Ingrain.Actors.Pipeline;

/// <summary>Akka's backoff formula: min * 2^n capped at max, then stretched by up to <c>randomFactor</c> (so the result
/// may exceed max by that factor, as in Akka).</summary>
public static class Backoff
{
    public static TimeSpan Delay(int restartCount, TimeSpan min, TimeSpan max, double randomFactor, Random random)
    {
        var jitter = 1.0 + random.NextDouble() * randomFactor;
        var exponent = Math.Min(restartCount, 30);
        var ticks = Math.Min(max.Ticks, min.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * jitter));
    }
}
