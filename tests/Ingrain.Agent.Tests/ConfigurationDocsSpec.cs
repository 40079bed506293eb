using Ingrain.TestSupport;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// Every key a parser reads has a row in docs/configuration.md (<c>| `key`</c>, or <c>| `key { … }</c> for an
/// object). The keys come from what the parsers actually read while compiling a topology with every type in it,
/// not from a hand-kept list, so a key added to a parser but not to the docs fails here.
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
        bool Row(string k) => Doc.Value.Contains($"| `{k}`", StringComparison.Ordinal) || Doc.Value.Contains($"| `{k} {{", StringComparison.Ordinal);
        // A key of the elements of an object list (patterns[].key) may also be named in its list's row: `{ key, regex }`.
        var dot = key.LastIndexOf('.');
        var inList = dot > 0 && (Row($"{key[..dot]}[].{key[(dot + 1)..]}")
            || Doc.Value.Split('\n').Any(line => line.StartsWith($"| `{key[..dot]}`", StringComparison.Ordinal) && line.Contains(key[(dot + 1)..], StringComparison.Ordinal)));
        Assert.True(Row(key) || Row(key[(dot + 1)..]) || inList, $"{component}: key '{key}' has no row in docs/configuration.md");
    }
}
