using Ingrain.TestSupport;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// Every key a parser reads has a row in docs/configuration.md (<c>| `key`</c>, or <c>| `key { … }</c> for an
/// object). The keys come from what the parsers actually read while compiling a topology with every type in it,
/// not from a hand-kept list, so a key added to a parser but not to the docs fails here. A key counts only where
/// its own component (or its whole kind) is documented: a row of another type with the same name does not.
/// </summary>
public sealed class ConfigurationDocsSpec
{
    private static readonly Lazy<string> Doc = new(() => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md")));

    // Keys of the topology itself (documented in their own sections), not of a component type.
    private static readonly HashSet<string> TopologyKeys = ["type", "pipelines", "steps", "backend"];

    public static TheoryData<string, string> Keys()
    {
        var data = new TheoryData<string, string>();
        var result = AllComponents.Compile();
        Assert.Empty(result.Errors);
        foreach (var component in result.KeysRead.DistinctBy(c => (c.Kind, c.Type)))
        {
            // An object key whose inner keys were read is checked through them (restart.min-backoff, mailbox.capacity).
            foreach (var key in component.Keys.Where(k => !TopologyKeys.Contains(k) && !component.Keys.Any(o => o.StartsWith(k + ".", StringComparison.Ordinal))))
                data.Add($"{component.Kind.ToString().ToLowerInvariant()} {component.Type}", key);
        }
        return data;
    }

    [Fact]
    public void The_parsers_read_keys_of_every_kind()
    {
        var kinds = AllComponents.Compile().KeysRead.Select(c => c.Kind).Distinct().Order();
        Assert.Equal([ComponentKind.Probe, ComponentKind.Step, ComponentKind.Backend], kinds);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_key_a_parser_reads_is_documented(string component, string key)
    {
        var parts = component.Split(' ', 2);
        var section = ComponentSection(Enum.Parse<ComponentKind>(parts[0], ignoreCase: true), parts[1]);
        Assert.True(section is not null, $"{component}: no section of its own in docs/configuration.md");
        bool Row(string k) => section.Contains($"| `{k}`", StringComparison.Ordinal) || section.Contains($"| `{k} {{", StringComparison.Ordinal);
        // A key of the elements of an object list (patterns[].key) may also be named in its list's row: `{ key, regex }`.
        var dot = key.LastIndexOf('.');
        var inList = dot > 0 && (Row($"{key[..dot]}[].{key[(dot + 1)..]}")
            || section.Split('\n').Any(line => line.StartsWith($"| `{key[..dot]}`", StringComparison.Ordinal) && line.Contains($"{key[(dot + 1)..]}", StringComparison.Ordinal)));
        Assert.True(Row(key) || inList, $"{component}: key '{key}' has no row in its part of docs/configuration.md");
    }

    [Fact]
    public void A_key_documented_for_another_component_only_does_not_count()
    {
        // `bind` is a row of the statsd probe, `uri` of the http backend: neither is in the exec probe's part.
        var exec = ComponentSection(ComponentKind.Probe, "exec")!;
        Assert.DoesNotContain("| `bind`", exec, StringComparison.Ordinal);
        Assert.DoesNotContain("| `uri`", exec, StringComparison.Ordinal);
        Assert.Contains("| `bind`", ComponentSection(ComponentKind.Probe, "statsd")!, StringComparison.Ordinal);
        Assert.Contains("| `emit-exits`", exec, StringComparison.Ordinal);
    }

    /// <summary>
    /// The part of docs/configuration.md that documents one component: the keys its whole kind has (the table after
    /// <c>## Probes</c> up to "Type-specific keys", or the step/backend table after <c>## Pipelines</c>) plus its own
    /// part. A probe's own part is its bullet (<c>- `exec` (…</c>) up to the next bullet at the margin or heading, or
    /// a <c>#### `probe { type = statsd }`</c> heading; a step's or backend's is its <c>#### `type`</c> (or
    /// <c>#### `backend { type = … }`</c>) heading up to the next heading. Null when the component has no part.
    /// </summary>
    internal static string? ComponentSection(ComponentKind kind, string type)
    {
        var lines = Doc.Value.Split('\n');
        var common = kind == ComponentKind.Probe
            ? Between(lines, l => l.StartsWith("## Probes", StringComparison.Ordinal), l => l.StartsWith("Type-specific keys", StringComparison.Ordinal))
            : Between(lines, l => l.StartsWith("## Pipelines", StringComparison.Ordinal), l => l.StartsWith("### ", StringComparison.Ordinal));
        var kindHeading = kind switch { ComponentKind.Step => "### Steps", ComponentKind.Backend => "### Backends", _ => "## Probes" };
        var from = Array.FindIndex(lines, l => l.StartsWith(kindHeading, StringComparison.Ordinal));
        string? own = null;
        var braced = $"#### `{kind.ToString().ToLowerInvariant()} {{ type = {type} }}`";
        var headed = Array.FindIndex(lines, l => l.TrimEnd() == braced);
        if (headed < 0 && kind != ComponentKind.Probe && from >= 0)
            headed = Array.FindIndex(lines, from, l => l.TrimEnd() == $"#### `{type}`");
        if (headed >= 0)
            own = Between(lines, headed, l => l.StartsWith("#", StringComparison.Ordinal));
        else if (kind == ComponentKind.Probe && from >= 0)
        {
            var bullet = Array.FindIndex(lines, from, l => l.StartsWith($"- `{type}` ", StringComparison.Ordinal));
            if (bullet >= 0) own = Between(lines, bullet, l => l.StartsWith("- ", StringComparison.Ordinal) || l.StartsWith('#') || (l.Length > 0 && !char.IsWhiteSpace(l[0])));
        }
        return own is null ? null : common + "\n" + own;
    }

    private static string Between(string[] lines, Func<string, bool> start, Func<string, bool> end)
    {
        var i = Array.FindIndex(lines, l => start(l));
        return i < 0 ? "" : Between(lines, i, end);
    }

    // From line `start` (included) to the first later line where `end` holds (excluded).
    private static string Between(string[] lines, int start, Func<string, bool> end)
    {
        var stop = start + 1;
        while (stop < lines.Length && !end(lines[stop])) stop++;
        return string.Join('\n', lines[start..stop]);
    }
}
