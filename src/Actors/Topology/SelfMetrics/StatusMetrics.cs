using System.Text;
using Ingrain.Actors.Components;

namespace Ingrain.Actors.Topology.SelfMetrics;

/// <summary>
/// The status turned into named metrics, the one contract of self-metrics and Prometheus (docs/operations.md):
/// <list type="bullet">
/// <item><c>ingrain.probe.&lt;counter&gt;</c> (emitted, malformed, kernel_lost, handler_failures, restarts) and the gauge
/// <c>ingrain.probe.attached</c> (1 or 0), labels component, probe, type; a probe's own counters as
/// <c>ingrain.probe.&lt;type&gt;.&lt;counter&gt;</c>.</item>
/// <item><c>ingrain.step.&lt;counter&gt;</c> / <c>ingrain.backend.&lt;counter&gt;</c> (received, emitted, dropped, failed),
/// labels component, pipeline, type; a step's own as <c>ingrain.step.&lt;type&gt;.&lt;counter&gt;</c>, a backend writer's
/// as <c>ingrain.writer.&lt;counter&gt;</c> (sent, retried, dropped, spooled, failed: the status's <c>writer.sent</c>…).</item>
/// <item>the edge into each step and backend: the gauge <c>ingrain.edge.queued_batches</c> and the counter
/// <c>ingrain.edge.dropped_batches</c>, same labels.</item>
/// </list>
/// Counter names are the status names with <c>-</c> → <c>_</c>. Entries without an identity are skipped.
/// </summary>
public static class StatusMetrics
{
    private static readonly HashSet<string> Gauges = ["queued-batches"];

    public static IReadOnlyList<StatusMetric> From(IEnumerable<ComponentStatus> components)
    {
        var metrics = new List<StatusMetric>();
        foreach (var c in components)
        {
            if (c.Identity is not { } id) continue;
            var type = Sanitize(id.Type);
            IReadOnlyList<KeyValuePair<string, string>> labels = id.Kind == ComponentKind.Probe
                ? [new("component", c.Path), new("probe", id.Probe ?? ""), new("type", id.Type)]
                : [new("component", c.Path), new("pipeline", id.Pipeline ?? ""), new("type", id.Type)];
            var kind = id.Kind switch
            {
                ComponentKind.Probe => "probe",
                ComponentKind.Step => "step",
                _ => "backend",
            };
            for (var i = 0; i < c.Counters.Count; i++)
            {
                var (name, value) = (c.Counters[i].Key, c.Counters[i].Value);
                var group = i < id.Common ? kind
                    : i < id.Common + id.Edge ? "edge"
                    : id.Kind == ComponentKind.Backend ? "writer"
                    : $"{kind}.{type}";
                if (group == "writer" && name.StartsWith(BackendCounters.Prefix, StringComparison.Ordinal)) name = name[BackendCounters.Prefix.Length..];
                metrics.Add(new StatusMetric($"ingrain.{group}.{Sanitize(name)}", !Gauges.Contains(name), value, labels));
            }
            if (id.Kind == ComponentKind.Probe)
                metrics.Add(new StatusMetric("ingrain.probe.attached", false, c.State == "attached" ? 1 : 0, labels));
        }
        return metrics;
    }

    /// <summary>A name part as Prometheus and StatsD accept it: letters, digits and <c>_</c>.</summary>
    internal static string Sanitize(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (var ch in name) b.Append(char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '_');
        return b.ToString();
    }
}
