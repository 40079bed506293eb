namespace Ingrain.Actors.Pipeline.Steps;

/// <summary>
/// Settings of a <c>buffer</c> step. <paramref name="MaxKeys"/> bounds distinct (name, tags) series per interval;
/// <paramref name="MaxValuesPerKey"/> bounds the timer values and set elements one series keeps;
/// <paramref name="HistogramSamples"/> is the size of a series' histogram sample (percentiles are computed from a
/// uniform sample of at most that many values, so memory stays fixed however many arrive).
/// </summary>
public sealed record BufferOptions(
    TimeSpan Interval,
    int MaxKeys,
    int MaxValuesPerKey,
    IReadOnlyList<double> Percentiles,
    bool EnableHistograms,
    int HistogramSamples)
{
    public static IReadOnlyList<double> DefaultPercentiles { get; } = [25, 50, 75, 90, 95, 99];

    public static BufferOptions Default { get; } = new(TimeSpan.FromSeconds(10), 100_000, 10_000, DefaultPercentiles, true, 1024);
}
