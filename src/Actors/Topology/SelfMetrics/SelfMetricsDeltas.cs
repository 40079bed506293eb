using Ingrain.Actors.Components;

namespace Ingrain.Actors.Topology.SelfMetrics;

/// <summary>
/// Turns statuses into self-metrics measurements: a counter as its change since the status sent before (kind
/// counter, so StatsD and any sum over time add up to the total), a gauge as its value. A counter lower than last
/// time belongs to a new instance (a reload replaced the component, its counters started at 0): its value is the
/// change. Kept by the self-metrics module, so a restart of the probe does not send totals twice.
/// </summary>
internal sealed class SelfMetricsDeltas
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlyList<Measurement> Next(IReadOnlyList<ComponentStatus> status, long timestamp)
    {
        var metrics = StatusMetrics.From(status);
        var measurements = new List<Measurement>(metrics.Count);
        lock (_lock)
        {
            foreach (var m in metrics)
            {
                var tags = Tags.From(m.Labels);
                if (!m.IsCounter)
                {
                    measurements.Add(new Measurement(timestamp, MeasurementKind.Gauge, m.Name, MeasurementValue.Count(m.Value), tags));
                    continue;
                }
                var key = m.Name + "\0" + string.Join('\0', m.Labels.Select(l => l.Value));
                var delta = _last.TryGetValue(key, out var last) && m.Value >= last ? m.Value - last : m.Value;
                _last[key] = m.Value;
                measurements.Add(new Measurement(timestamp, MeasurementKind.Counter, m.Name, MeasurementValue.Count(delta), tags));
            }
        }
        return measurements;
    }
}
