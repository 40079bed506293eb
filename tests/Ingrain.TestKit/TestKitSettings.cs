using System.Globalization;

namespace Ingrain.TestKit;

/// <summary>Timing defaults, as Akka's TestKit has them: 3 s per single expect, scaled by
/// <c>INGRAIN_TEST_TIMEFACTOR</c> (e.g. 2.5 on a slow CI machine).</summary>
public static class TestKitSettings
{
    public const string TimeFactorVariable = "INGRAIN_TEST_TIMEFACTOR";

    public static readonly TimeSpan SingleExpectDefault = TimeSpan.FromSeconds(3);

    public static double TimeFactor { get; } = ReadTimeFactor();

    public static TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));

    private static double ReadTimeFactor()
    {
        var raw = Environment.GetEnvironmentVariable(TimeFactorVariable);
        if (string.IsNullOrWhiteSpace(raw)) return 1.0;
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0) return factor;
        throw new InvalidOperationException($"{TimeFactorVariable}={raw} is not a positive number.");
    }
}
