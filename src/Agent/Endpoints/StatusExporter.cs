using Ingrain.Actors.Components;
using Ingrain.Actors.Topology;
using Ingrain.Actors.Topology.SelfMetrics;
using Prometheus;

namespace Ingrain.Agent.Endpoints;

/// <summary>
/// The status as Prometheus metrics, written by prometheus-net (its own registry, so nothing else is exported):
/// the names of <see cref="StatusMetrics"/> with <c>_</c> for <c>.</c> and <c>_total</c> on counters, labels
/// component, probe or pipeline, type. Counters are the status's totals; a total lower than last scrape (a reload
/// replaced the component) starts the series over, as Prometheus expects of a counter reset; a component gone is
/// removed. One scrape at a time.
/// </summary>
internal sealed class StatusExporter
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly IMetricFactory _factory;
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Gauge> _gauges = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public StatusExporter() => _factory = Metrics.WithCustomRegistry(_registry);

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public async Task WriteAsync(IReadOnlyList<ComponentStatus> status, Stream output, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Update(StatusMetrics.From(status));
            await _registry.CollectAndExportAsTextAsync(output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Update(IReadOnlyList<StatusMetric> metrics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            var values = m.Labels.Select(l => l.Value).ToArray();
            seen.Add(Key(m.PrometheusName, values));
            if (m.IsCounter)
            {
                var family = Family(_counters, m, (name, help, labels) => _factory.CreateCounter(name, help, labels));
                var child = family.WithLabels(values);
                if (child.Value > m.Value)
                {
                    child.Remove();
                    child = family.WithLabels(values);
                }
                child.IncTo(m.Value);
            }
            else
            {
                Family(_gauges, m, (name, help, labels) => _factory.CreateGauge(name, help, labels)).WithLabels(values).Set(m.Value);
            }
        }
        foreach (var (name, family) in _counters) RemoveUnseen(name, family, seen);
        foreach (var (name, family) in _gauges) RemoveUnseen(name, family, seen);
    }

    private static T Family<T>(Dictionary<string, T> families, StatusMetric m, Func<string, string, string[], T> create)
    {
        if (!families.TryGetValue(m.PrometheusName, out var family))
            families[m.PrometheusName] = family = create(m.PrometheusName, $"Ingrain status: {m.Name} (docs/operations.md)", [.. m.LabelNames]);
        return family;
    }

    private static void RemoveUnseen<TChild>(string name, Collector<TChild> family, HashSet<string> seen) where TChild : ChildBase
    {
        foreach (var values in family.GetAllLabelValues().ToArray())
        {
            if (!seen.Contains(Key(name, values))) family.RemoveLabelled(values);
        }
    }

    private static string Key(string name, string[] values) => name + "\0" + string.Join('\0', values);
}
