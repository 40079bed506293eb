using System.Text.Json;
using Ingrain.Hocon.Tests.Conformance;
using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>
/// Optional substitutions that refer to each other through concatenations and merges, with the answers of the
/// reference implementation (Lightbend config at the conformance commit, resolved with env fallback off). The inputs
/// in Resources/optional-cycles.json were generated at random; each is one on which this library used to differ:
/// it remembered "undefined" for a <c>${?x}</c> cut short by a cycle (the reference works it out again, so
/// <c>a = ${?c} ${?d}, c = ${?a}</c> keeps <c>c</c>), and it skipped the hidden layers of a merge (the reference
/// resolves them all, so a required substitution there still fails).
/// </summary>
public sealed class OptionalCycleTests
{
    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Load().Count)];

    private static List<JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Resources", "optional-cycles.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves_like_the_reference(int index)
    {
        var testCase = Load()[index];
        var input = testCase.GetProperty("input").GetString()!;
        var expect = testCase.GetProperty("expect");
        var options = new HoconParseOptions { UseEnvironment = false };
        if (expect.ValueKind == JsonValueKind.Null)
        {
            Assert.ThrowsAny<HoconException>(() => HoconParser.Parse(input, "inline", options));
            return;
        }
        var actual = HoconParser.Parse(input, "inline", options).ToJson();
        using var actualJson = JsonDocument.Parse(actual);
        var difference = JsonComparer.Difference(expect, actualJson.RootElement);
        Assert.True(difference is null, $"{input}\n{difference}\nactual: {actual}");
    }

    [Fact]
    public void The_named_case_keeps_both_keys() =>
        Assert.Equal("""{"a":" ","c":" "}""",
            HoconParser.Parse("a = ${?c} ${?d}\nc = ${?a}", "inline", new HoconParseOptions { UseEnvironment = false }).ToJson(indented: false));

    [Fact]
    public void A_doubling_chain_of_undefined_optionals_fails_instead_of_running_for_ever()
    {
        // Undefined results are not remembered, so without a bound this would take 2^40 steps.
        var lines = new List<string> { "a0 = ${?x}${?x}" };
        for (var i = 1; i < 40; i++) lines.Add($"a{i} = ${{?a{i - 1}}}${{?a{i - 1}}}");
        var e = Assert.ThrowsAny<HoconException>(() =>
            HoconParser.Parse(string.Join('\n', lines), "inline", new HoconParseOptions { UseEnvironment = false }));
        Assert.Contains("resolved to nothing", e.Message);
    }
}
