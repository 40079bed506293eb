namespace Ingrain.Actors.Topology.SelfMetrics;

/// <summary>
/// One counter or gauge of the status under its self-metrics name (<c>ingrain.probe.kernel_lost</c>) with its labels
/// (<c>component</c> — the status path — then <c>probe</c> or <c>pipeline</c>, then <c>type</c>). The Prometheus
/// endpoint writes the same metrics with <c>.</c> → <c>_</c> and <c>_total</c> on counters.
/// </summary>
public sealed record StatusMetric(string Name, bool IsCounter, long Value, IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    /// <summary>The Prometheus name: <c>ingrain_probe_kernel_lost_total</c> for a counter, <c>ingrain_probe_attached</c> for a gauge.</summary>
    public string PrometheusName => Name.Replace('.', '_') + (IsCounter ? "_total" : "");

    /// <summary>The labels' names (the same for every metric of one name).</summary>
    public IEnumerable<string> LabelNames => Labels.Select(l => l.Key);
}
