using Ingrain.Agent.Composition;
using Ingrain.Hocon;
using Ingrain.Hocon.Values;

namespace Ingrain.Agent.Tests;

/// <summary>
/// A topology that uses every registered component type once (taken from <see cref="AgentModules.All"/>, so a type
/// added there is in it without a step here), with only its required keys set: everything else comes from
/// reference.hocon. A new type that has required keys fails to compile here until they get an entry in
/// <see cref="RequiredKeys"/>.
/// </summary>
internal static class AllComponents
{
    /// <summary>The types with required keys: those keys as HOCON, by kind and type name.</summary>
    public static readonly IReadOnlyDictionary<(ComponentKind Kind, string Type), string> RequiredKeys = new Dictionary<(ComponentKind, string), string>
    {
        [(ComponentKind.Probe, "files")] = "monitor-dirs = [/tmp]",
        [(ComponentKind.Probe, "command")] = "name = link, command = [ip, -j, link]",
        [(ComponentKind.Step, "whitelist")] = "allow = [a]",
        [(ComponentKind.Step, "regex")] = "patterns = [{ key = a, regex = b, replace-with = c }]",
        [(ComponentKind.Step, "filter")] = "name = x, tags = [{ key = a, regex = b }]",
        [(ComponentKind.Step, "exec")] = "command = [/bin/true], only-if = [{ key = a, regex = b }]",
        [(ComponentKind.Backend, "file")] = "path = /tmp/ingrain-all-components.ndjson",
        [(ComponentKind.Backend, "http")] = "uri = \"http://127.0.0.1:1/x\"",
        [(ComponentKind.Backend, "s3")] = "bucket = b",
    };

    /// <summary>Every registered type (in <see cref="AgentModules.All"/>'s order) with its required keys (HOCON).</summary>
    public static readonly IReadOnlyList<KeyValuePair<(ComponentKind Kind, string Type), string>> Required = Registered()
        .Select(t => new KeyValuePair<(ComponentKind Kind, string Type), string>(t, RequiredKeys.GetValueOrDefault(t, ""))).ToArray();

    /// <summary>Entries of <see cref="RequiredKeys"/> that name no registered type (should be none).</summary>
    public static IEnumerable<string> Stale() =>
        RequiredKeys.Keys.Except(Registered()).Select(t => $"{t.Kind} {t.Type}");

    private static IEnumerable<(ComponentKind Kind, string Type)> Registered()
    {
        var registry = AgentModules.CreateRegistry();
        return registry.Probes.Keys.Select(k => (ComponentKind.Probe, k))
            .Concat(registry.Steps.Keys.Select(k => (ComponentKind.Step, k)))
            .Concat(registry.Backends.Keys.Select(k => (ComponentKind.Backend, k)));
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
