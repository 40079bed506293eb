namespace Ingrain.Steps.Buffer;

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
    int HistogramSamples);
