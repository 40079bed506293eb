using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Hocon.Tests.Conformance;

/// <summary>Every case of the shared conformance manifest, one test row each.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, string> Exceptions = LoadExceptions();

    public static IEnumerable<object[]> Cases() => ConformanceCase.Load().Select(c => new object[] { c.Conf });

    private static readonly Lazy<Dictionary<string, ConformanceCase>> ByName =
        new(() => ConformanceCase.Load().ToDictionary(c => c.Conf));

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void Case_matches_reference(string conf)
    {
        var c = ByName.Value[conf];
        var failure = ConformanceRunner.Run(c);
        if (Exceptions.TryGetValue(conf, out var reason))
        {
            output.WriteLine($"listed in conformance-exceptions.json: {reason}; result: {failure ?? "passes"}");
            return;
        }
        Assert.True(failure is null, $"{conf} ({c.Kind}; {c.Notes}): {failure}");
    }

    [ConformanceFact]
    public void Manifest_is_complete_and_exceptions_are_listed()
    {
        var cases = ConformanceCase.Load();
        Assert.True(cases.Count > 400, $"manifest has only {cases.Count} cases");
        foreach (var (conf, reason) in Exceptions) output.WriteLine($"conformance exception {conf}: {reason}");
        Assert.All(Exceptions.Keys, conf => Assert.Contains(cases, c => c.Conf == conf));
    }

    private static IReadOnlyDictionary<string, string> LoadExceptions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", "conformance-exceptions.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateObject()
            .Where(p => !p.Name.StartsWith('_'))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
