using Ingrain.Agent.Composition;
using Ingrain.Hocon;

namespace Ingrain.Agent.Tests;

/// <summary>
/// A topology that uses every registered component type once, with only its required keys set: everything else
/// comes from reference.hocon. A type added to the agent without an entry here fails <see cref="Coverage"/>.
/// </summary>
internal static class AllComponents
{
    /// <summary>The required keys of each type (HOCON), by kind and type name.</summary>
    public static readonly IReadOnlyDictionary<(ComponentKind Kind, string Type), string> Required = new Dictionary<(ComponentKind, string), string>
    {
        [(ComponentKind.Probe, "exec")] = "",
        [(ComponentKind.Probe, "network")] = "",
        [(ComponentKind.Probe, "files")] = "monitor-dirs = [/tmp]",
        [(ComponentKind.Probe, "syscalls")] = "",
        [(ComponentKind.Probe, "dns")] = "",
        [(ComponentKind.Probe, "tls")] = "",
        [(ComponentKind.Probe, "statsd")] = "",
        [(ComponentKind.Probe, "command")] = "name = link, command = [ip, -j, link]",
        [(ComponentKind.Probe, "synthetic")] = "",
        [(ComponentKind.Step, "add-system-details")] = "",
        [(ComponentKind.Step, "whitelist")] = "allow = [a]",
        [(ComponentKind.Step, "regex")] = "patterns = [{ key = a, regex = b, replace-with = c }]",
        [(ComponentKind.Step, "filter")] = "name = x, tags = [{ key = a, regex = b }]",
        [(ComponentKind.Step, "exec")] = "command = [/bin/true], only-if = [{ key = a, regex = b }]",
        [(ComponentKind.Step, "container")] = "",
        [(ComponentKind.Step, "buffer")] = "",
        [(ComponentKind.Backend, "console")] = "",
        [(ComponentKind.Backend, "file")] = "path = /tmp/ingrain-all-components.ndjson",
        [(ComponentKind.Backend, "statsd")] = "",
        [(ComponentKind.Backend, "http")] = "uri = \"http://127.0.0.1:1/x\"",
        [(ComponentKind.Backend, "s3")] = "bucket = b",
    };

    /// <summary>The registered types that have no entry in <see cref="Required"/> (should be none).</summary>
    public static IEnumerable<string> Missing()
    {
        var registry = AgentModules.CreateRegistry();
        var registered = registry.Probes.Keys.Select(k => (ComponentKind.Probe, k))
            .Concat(registry.Steps.Keys.Select(k => (ComponentKind.Step, k)))
            .Concat(registry.Backends.Keys.Select(k => (ComponentKind.Backend, k)));
        return registered.Where(t => !Required.ContainsKey(t)).Select(t => $"{t.Item1} {t.k}");
    }

    /// <summary>The topology text, plus <paramref name="extra"/> HOCON appended inside <c>ingrain { }</c>.</summary>
    public static string Text(string extra = "")
    {
        var probes = Required.Where(r => r.Key.Kind == ComponentKind.Probe)
            .Select(r => $"  p-{r.Key.Type} {{ type = {r.Key.Type}, pipelines = [b-console], {r.Value} }}");
        var steps = string.Join(", ", Required.Where(r => r.Key.Kind == ComponentKind.Step).Select(r => $"{{ type = {r.Key.Type}, {r.Value} }}"));
        var pipelines = Required.Where(r => r.Key.Kind == ComponentKind.Backend)
            .Select(r => $"  b-{r.Key.Type} {{ steps = [{(r.Key.Type == "console" ? steps : "")}], backend {{ type = {r.Key.Type}, {r.Value} }} }}");
        return $"ingrain {{\n probes {{\n{string.Join('\n', probes)}\n }}\n pipelines {{\n{string.Join('\n', pipelines)}\n }}\n{extra}\n}}";
    }

    public static CompileResult Compile(string extra = "") => TopologyLoader.FromText(Text(extra), AgentModules.CreateRegistry());

    /// <summary>Every scalar or list leaf under <c>ingrain.defaults</c> and <c>ingrain.agent</c> in reference.hocon, as paths.</summary>
    public static IEnumerable<string> ReferenceLeaves()
    {
        var reference = HoconParser.Parse(TopologyLoader.ReferenceText, "reference.hocon");
        var ingrain = (HoconObject)reference.GetValue("ingrain")!;
        foreach (var root in new[] { "agent", "defaults" })
        {
            foreach (var leaf in Leaves((HoconObject)ingrain[root], $"ingrain.{root}")) yield return leaf;
        }
    }

    private static IEnumerable<string> Leaves(HoconObject o, string path)
    {
        foreach (var (key, value) in o.Fields)
        {
            if (value is HoconObject inner)
            {
                foreach (var leaf in Leaves(inner, $"{path}.{key}")) yield return leaf;
            }
            else
            {
                yield return $"{path}.{key}";
            }
        }
    }
}
