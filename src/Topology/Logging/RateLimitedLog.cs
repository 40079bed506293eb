using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Ingrain.Topology.Logging;

/// <summary>
/// One repeated warning, logged at most once per <see cref="Window"/>: the first occurrence at once, the ones in the
/// following window only counted, and the next line that is logged says how many it stands for
/// (<c>… 1,234 more in the last 10 s</c>). <see cref="Flush"/> reports a count still pending (say when the outage ends
/// or at shutdown), so no occurrence goes unmentioned. Before, an HTTP outage logged every dropped batch (~35 lines/s,
/// 12 MB/h). Thread-safe; one instance per kind of warning.
/// </summary>
public sealed class RateLimitedLog(ILogger logger, TimeProvider time, LogLevel level = LogLevel.Warning)
{
    /// <summary>At most one line per window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _lastLogged;
    private bool _loggedOnce;
    private long _suppressed;
    private string? _lastTemplate;
    private object?[] _lastArgs = [];

    /// <summary>Occurrences counted since the last line, not yet reported.</summary>
    public long Pending
    {
        get
        {
            lock (_gate) return _suppressed;
        }
    }

    /// <summary>Logs <paramref name="template"/> now, or counts it when a line went out less than a window ago.</summary>
    public void Log(string template, params object?[] args) => Log(1, template, () => args);

    /// <summary>Like <see cref="Log(string, object?[])"/> for <paramref name="occurrences"/> at once, with arguments
    /// made only when the line is logged (a hot path pays for nothing else).</summary>
    public void Log(long occurrences, string template, Func<object?[]> args)
    {
        long more;
        TimeSpan since;
        object?[] values;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            since = time.GetElapsedTime(_lastLogged, now);
            if (_loggedOnce && since < Window)
            {
                _suppressed += occurrences;
                if (_lastTemplate is null) (_lastTemplate, _lastArgs) = (template, args());
                return;
            }
            more = _suppressed + occurrences - 1;
            _suppressed = 0;
            _lastTemplate = null;
            _lastLogged = now;
            _loggedOnce = true;
            values = args();
        }
        Write(template, values, more, since);
    }

    private void Write(string template, object?[] args, long more, TimeSpan since)
    {
        if (more == 0) logger.Log(level, template, args);
        else logger.Log(level, template + " (… {More} more in the last {Window})", [.. args, Count(more), Span(since)]);
    }

    /// <summary>Logs the count of occurrences not reported yet, if any, as a line of its own.</summary>
    public void Flush()
    {
        long more;
        TimeSpan since;
        string last;
        lock (_gate)
        {
            if (_suppressed == 0) return;
            more = _suppressed;
            last = Format(_lastTemplate ?? "", _lastArgs);
            _lastTemplate = null;
            since = time.GetElapsedTime(_lastLogged);
            _suppressed = 0;
            _lastLogged = time.GetTimestamp();
        }
        logger.Log(level, "… {More} more in the last {Window}, the first of them: {First}", Count(more), Span(since), last);
    }

    /// <summary>The template with its placeholders filled in order (what a console logger would print).</summary>
    private static string Format(string template, object?[] args)
    {
        var result = new System.Text.StringBuilder();
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i) : -1;
            if (close < 0)
            {
                result.Append(template[i]);
                continue;
            }
            result.Append(next < args.Length ? Convert.ToString(args[next], CultureInfo.InvariantCulture) : template[i..(close + 1)]);
            next++;
            i = close;
        }
        return result.ToString();
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan t) => t.TotalSeconds < 120
        ? $"{Math.Max(1, (long)Math.Round(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s"
        : $"{((long)Math.Round(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)} min";
}
