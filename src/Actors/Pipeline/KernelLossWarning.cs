using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Warns when a probe's kernel-lost counter grows ("exec: 27,036 events lost in the kernel in the last 10 s: …"): the
/// first loss at once, then at most one line per <see cref="Window"/> with everything lost since the line before, and
/// a last line when the probe stops, so no loss goes unmentioned. Used by the probe actor only (one thread).
/// </summary>
internal sealed class KernelLossWarning(string probe, ProbeCounters counters, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private long _seen = counters.KernelLost;
    private long _unreported;
    private long _since = time.GetTimestamp();
    private bool _warned;

    /// <summary>Looks at the counter; <paramref name="final"/> reports what is pending even inside the window.</summary>
    public void Check(bool final = false)
    {
        var total = counters.KernelLost;
        _unreported += total - _seen;
        _seen = total;
        if (_unreported <= 0) return;
        var elapsed = time.GetElapsedTime(_since);
        if (_warned && elapsed < Window && !final) return;
        logger.LogWarning("{Probe}: {Lost} events lost in the kernel in the last {Elapsed}: the pipeline is slower than the probe " +
            "(lost since the agent started: {Total})", probe, Count(_unreported), Span(elapsed), Count(total));
        _unreported = 0;
        _since = time.GetTimestamp();
        _warned = true;
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan t) => t.TotalSeconds < 120
        ? $"{Math.Max(1, (long)Math.Round(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s"
        : $"{((long)Math.Round(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)} min";
}
