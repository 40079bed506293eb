using System.Text.Json;

namespace Ingrain.Hocon.Tests.Conformance;

/// <summary>One entry of manifest.json.</summary>
public sealed record ConformanceCase(
    string Conf,
    string? Expect,
    string Kind,
    string Syntax,
    string? Root,
    IReadOnlyList<string> Requires,
    bool WhitespaceVariations,
    string? AlsoParseAs,
    string? ExpectAlt,
    IReadOnlyDictionary<string, string> Env,
    string? ExpectWithEnv,
    bool ImplementationDefined,
    int? ErrorLine,
    string Notes)
{
    public override string ToString() => Conf;

    public static IReadOnlyList<ConformanceCase> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ConformanceData.PathOf("manifest.json")));
        return document.RootElement.EnumerateArray().Select(FromJson).ToList();
    }

    private static ConformanceCase FromJson(JsonElement e) => new(
        e.GetProperty("conf").GetString()!,
        OptionalString(e, "expect"),
        e.GetProperty("kind").GetString()!,
        e.GetProperty("syntax").GetString()!,
        OptionalString(e, "root"),
        e.TryGetProperty("requires", out var requires) ? requires.EnumerateArray().Select(r => r.GetString()!).ToList() : [],
        e.TryGetProperty("whitespace_variations", out var ws) && ws.GetBoolean(),
        OptionalString(e, "also_parse_as"),
        OptionalString(e, "expect_alt"),
        e.TryGetProperty("env", out var env) ? env.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : new Dictionary<string, string>(),
        OptionalString(e, "expect_with_env"),
        e.TryGetProperty("implementation_defined", out var impl) && impl.GetBoolean(),
        e.TryGetProperty("error_line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null,
        OptionalString(e, "notes") ?? "");

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
