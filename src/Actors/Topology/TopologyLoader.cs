using Ingrain.Actors.Security;
using Ingrain.Hocon;

namespace Ingrain.Actors.Topology;

/// <summary>
/// Reads a topology from HOCON: the user's document falls back to the embedded <c>reference.hocon</c> (every
/// default), then the <c>ingrain</c> object is compiled. A syntax error is reported like any other error, with its
/// file:line:col; nothing here throws for a bad configuration.
/// </summary>
public static class TopologyLoader
{
    private const string ReferenceResource = "Ingrain.Actors.reference.hocon";

    /// <summary>The text of the embedded reference configuration.</summary>
    public static string ReferenceText { get; } = ReadReference();

    /// <summary>Reads the file (and its includes) through <see cref="ConfigFileOpener"/>: regular files of at most 4 MiB,
    /// and, when the agent is privileged, only files no other user can change.</summary>
    public static CompileResult FromFile(string path, ComponentRegistry registry) => FromFile(path, registry, ConfigPermissionGuard.ForThisProcess());

    public static CompileResult FromFile(string path, ComponentRegistry registry, ConfigPermissionGuard guard)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return CompileResult.Failed(new ConfigError(path, "(file)", "configuration file not found"));
        var options = new HoconParseOptions { OpenFile = new ConfigFileOpener(guard).Open };
        return Compile(() => HoconParser.ParseFile(path, options), registry, Path.GetFullPath(path));
    }

    public static CompileResult FromText(string text, ComponentRegistry registry, string origin = "pipeline.hocon") =>
        Compile(() => HoconParser.Parse(text, origin), registry, origin);

    private static CompileResult Compile(Func<Config> parse, ComponentRegistry registry, string file)
    {
        Config user, reference;
        try
        {
            user = parse();
            reference = HoconParser.Parse(ReferenceText, "reference.hocon");
        }
        catch (HoconException e)
        {
            // A problem with the file as a whole (unreadable, refused) has no line: name the file alone, not file:0:0.
            var where = e.Origin.Line == 0 ? e.Origin.Description : e.Origin.ToString();
            return CompileResult.Failed(new ConfigError(where, e.Path ?? "(file)", e.Problem));
        }
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        UserRootCheck.Check(user.Root, file, errors, warnings);
        if (errors.Count > 0) return new CompileResult(null, errors, warnings);

        if (user.GetValue("ingrain") is HoconObject { } userIngrain && userIngrain.TryGetValue("defaults", out var d) && d is HoconObject userDefaults)
            errors.AddRange(new DefaultsKeyCheck(registry).Check(userDefaults, (HoconObject)reference.GetValue("ingrain.defaults")));
        var compiled = new TopologyCompiler(registry).Compile((HoconObject)user.WithFallback(reference).GetValue("ingrain"));
        if (errors.Count == 0 && warnings.Count == 0) return compiled;
        errors.InsertRange(0, compiled.Errors);
        warnings.InsertRange(0, compiled.Warnings);
        return errors.Count == 0 ? compiled with { Warnings = warnings } : new CompileResult(null, errors, warnings);
    }

    private static string ReadReference()
    {
        using var stream = typeof(TopologyLoader).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"embedded resource {ReferenceResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
