using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// reference.hocon is the only source of defaults: with any one of its defaults removed (set to null by the user),
/// the component that uses it fails to compile with "missing required key" — so no options record or compiler
/// literal quietly supplies the value instead.
/// </summary>
public class ReferenceDefaultsSpec
{
    [Fact]
    public void Every_required_keys_entry_names_a_registered_type() => Assert.Empty(AllComponents.Stale());

    [Fact]
    public void The_all_components_topology_compiles_from_reference_defaults_alone()
    {
        var result = AllComponents.Compile();
        Assert.Empty(result.Errors);
    }

    public static TheoryData<string> Defaults() => [.. AllComponents.ReferenceLeaves()];

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Removing_a_default_makes_the_key_required(string path)
    {
        var key = path[(path.LastIndexOf('.') + 1)..];
        var result = AllComponents.Compile($"{path["ingrain.".Length..]} = null");
        Assert.False(result.Succeeded, $"{path} = null still compiles: something other than reference.hocon supplies the default");
        Assert.Contains(result.Errors, e => e.Message.Contains($"missing required key \"{key}\"", StringComparison.Ordinal));
    }
}
