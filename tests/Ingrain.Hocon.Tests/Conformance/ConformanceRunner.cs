using System.Text.Json;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Tests.Conformance;

/// <summary>Runs one manifest case by the rules in the conformance README and reports what went wrong.</summary>
internal static class ConformanceRunner
{
    private static readonly object EnvLock = new();

    public static string? Run(ConformanceCase c)
    {
        var file = ConformanceData.PathOf(c.Conf);
        var options = new HoconParseOptions
        {
            UseEnvironment = false,
            Syntax = SyntaxOf(c.Syntax),
            ClasspathDirectory = c.Requires.Contains("classpath") ? ConformanceData.PathOf("test-lib") : null,
        };
        var failure = c.Kind switch
        {
            "parse-error" => ExpectError(c, () => ParseCase(c, file, options)),
            _ => ExpectValue(c, () => ParseCase(c, file, options), c.Expect, c.ExpectAlt),
        };
        if (failure is not null) return failure;

        if (c.AlsoParseAs is { } syntax)
        {
            failure = ExpectValue(c, () => ParseCase(c, file, options with { Syntax = SyntaxOf(syntax) }), c.Expect, c.ExpectAlt);
            if (failure is not null) return $"parsed as {syntax}: {failure}";
        }
        if (c.ExpectWithEnv is { } withEnv)
        {
            failure = WithEnvironment(c.Env, () => ExpectValue(c, () => ParseCase(c, file, options with { UseEnvironment = true }), withEnv, null));
            if (failure is not null) return $"with env: {failure}";
        }
        if (c.WhitespaceVariations)
        {
            failure = CheckVariations(c, file, options);
            if (failure is not null) return failure;
        }
        return null;
    }

    private static HoconSyntax SyntaxOf(string syntax) => syntax switch
    {
        "json" => HoconSyntax.Json,
        "properties" => HoconSyntax.Properties,
        _ => HoconSyntax.Conf,
    };

    /// <summary>The JSON of the resolved case, or null for a list root that only has to parse.</summary>
    private static string? ParseCase(ConformanceCase c, string file, HoconParseOptions options)
    {
        if (c.Root == "list") return ParseListRoot(File.ReadAllText(file), options with { IncludeBaseDirectory = Path.GetDirectoryName(file) }, c.Conf);
        return HoconParser.ParseFile(file, options).ToJson();
    }

    /// <summary>Value-level parse: the reference neither resolves a list root nor rejects it.</summary>
    private static string? ParseListRoot(string text, HoconParseOptions options, string name)
    {
        var value = HoconParser.ParseUnresolved(text, name, options);
        if (value is HoconObject) return HoconParser.ParseValue(text, name, options).ToJson();
        return Resolution.ResolvedCheck.IsResolved(value) ? value.ToJson() : null;
    }

    private static string? ExpectError(ConformanceCase c, Func<string?> parse)
    {
        try
        {
            var json = parse();
            if (c.ImplementationDefined) return null;
            return $"expected an error, got {json}";
        }
        catch (HoconException e)
        {
            // Upstream checks the line number in the message; ours carries file:line:col.
            if (c.ErrorLine is { } line && e.Origin.Line != line)
                return $"error should be reported at line {line}, got {e.Message}";
            return null;
        }
        catch (Exception e)
        {
            return $"expected a HoconException, got {e}";
        }
    }

    private static string? ExpectValue(ConformanceCase c, Func<string?> parse, string? expect, string? expectAlt)
    {
        string? json;
        try
        {
            json = parse();
        }
        catch (HoconException e)
        {
            return $"unexpected error: {e.Message}";
        }
        catch (Exception e)
        {
            return $"unexpected non-HOCON exception: {e}";
        }
        if (expect is null) return null;
        if (json is null) return "value-level parse left substitutions unresolved but an expected value exists";
        using var actual = JsonDocument.Parse(json);
        var difference = Compare(expect, actual);
        if (difference is null) return null;
        if (expectAlt is not null && Compare(expectAlt, actual) is null) return null;
        return $"{difference}\nactual: {json}";
    }

    private static string? Compare(string expectFile, JsonDocument actual)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(ConformanceData.PathOf(expectFile)));
        return JsonComparer.Difference(expected.RootElement, actual.RootElement);
    }

    private static string? WithEnvironment(IReadOnlyDictionary<string, string> env, Func<string?> run)
    {
        lock (EnvLock)
        {
            foreach (var (name, value) in env) Environment.SetEnvironmentVariable(name, value);
            try
            {
                return run();
            }
            finally
            {
                foreach (var name in env.Keys) Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    /// <summary>Every whitespace variation must give the same verdict as the input itself.</summary>
    private static string? CheckVariations(ConformanceCase c, string file, HoconParseOptions options)
    {
        var text = File.ReadAllText(file);
        var stringOptions = options with { IncludeBaseDirectory = Path.GetDirectoryName(file) };
        var shouldFail = c.Kind == "parse-error";
        foreach (var variation in Variations(text))
        {
            bool failed;
            try
            {
                ParseListRoot(variation, stringOptions, c.Conf);
                failed = false;
            }
            catch (HoconException)
            {
                failed = true;
            }
            catch (Exception e)
            {
                return $"variation {JsonSerializer.Serialize(variation)}: non-HOCON exception {e}";
            }
            if (failed != shouldFail)
                return $"variation {JsonSerializer.Serialize(variation)}: expected {(shouldFail ? "an error" : "success")}, got the opposite";
        }
        return null;
    }

    public static IEnumerable<string> Variations(string s)
    {
        yield return s;
        yield return " " + s;
        yield return s + " ";
        yield return " " + s + " ";
        yield return s.Replace(" ", "");
        yield return s.Replace(":", " : ");
        yield return s.Replace(",", " , ");
        if (s.Contains(' ')) yield return s.Replace(' ', '\u2003');
    }
}
