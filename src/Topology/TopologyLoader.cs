using Ingrain.Hocon;
using Ingrain.Hocon.Values;
using Ingrain.Topology.Configuration;
using Ingrain.Topology.Modules;
using Ingrain.Topology.Security;

namespace Ingrain.Topology;

/// <summary>
/// Reads a topology from HOCON: the user's document falls back to the embedded <c>reference.hocon</c> (every
/// default), then the <c>ingrain</c> object is compiled. A syntax error is reported like any other error, with its
/// file:line:col; nothing here throws for a bad configuration.
/// </summary>
public static class TopologyLoader
{
    private const string ReferenceResource = "Ingrain.Topology.reference.hocon";

    /// <summary>The text of the embedded reference configuration.</summary>
    public static string ReferenceText { get; } = ReadReference();

    /// <summary>Reads the file (and its includes) through <see cref="ConfigFileOpener"/>: regular files of at most 4 MiB,
    /// and, when the agent is privileged, only files no other user can change.</summary>
    public static CompileResult FromFile(string path, ModuleRegistry registry) => FromFile(path, registry, ConfigPermissionGuard.ForThisProcess());

    public static CompileResult FromFile(string path, ModuleRegistry registry, ConfigPermissionGuard guard)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return CompileResult.Failed(new ConfigError(path, "(file)", "configuration file not found"));
        var options = new HoconParseOptions { OpenFile = new ConfigFileOpener(guard).Open };
        return Compile(() => HoconParser.ParseFile(path, options), registry, Path.GetFullPath(path));
    }

    public static CompileResult FromText(string text, ModuleRegistry registry, string origin = "pipeline.hocon") =>
        Compile(() => HoconParser.Parse(text, origin), registry, origin);

    private static CompileResult Compile(Func<Config> parse, ModuleRegistry registry, string file)
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
        var merged = user.WithFallback(reference);
        var compiled = new TopologyCompiler(registry).Compile((HoconObject)merged.GetValue("ingrain"));
        // Akka's own settings: resolved by this library and handed to Akka only as JSON.
        if (compiled.Spec is not null && merged.TryGetValue("akka") is HoconObject akka)
            compiled = compiled with { Spec = compiled.Spec with { AkkaJson = $"{{\"akka\":{akka.ToJson()}}}" } };
        if (errors.Count == 0 && warnings.Count == 0) return compiled;
        errors.InsertRange(0, compiled.Errors);
        warnings.InsertRange(0, compiled.Warnings);
        return errors.Count == 0 ? compiled with { Warnings = warnings } : new CompileResult(null, errors, warnings) { KeysRead = compiled.KeysRead };
    }

    /// <summary>
    /// Parses one component's settings as the compiler would — <paramref name="hocon"/> (the component's own keys)
    /// over the type's defaults from reference.hocon — for tools and tests that need a module's options without a
    /// topology. Throws when the settings have errors.
    /// </summary>
    public static object ParseSettings(IComponentModule module, string hocon = "")
    {
        var kind = module.Kind switch { ComponentKind.Probe => "probe", ComponentKind.Step => "step", _ => "backend" };
        var text = $"ingrain.defaults {{ }}\ncomponent {{ type = {module.Name}\n{hocon}\n}}";
        var config = HoconParser.Parse(text, "settings").WithFallback(HoconParser.Parse(ReferenceText, "reference.hocon"));
        var defaults = (HoconObject)((HoconObject)config.GetValue("ingrain"))["defaults"];
        var errors = new List<ConfigError>();
        var user = new ConfigSection((HoconObject)config.GetValue("component")!, null, $"ingrain.{kind}s.{module.Name}", errors);
        var section = TopologyCompiler.WithDefaults(user, defaults, kind + "s", kind, module.Name);
        var options = module.Parse(section);
        section.ReportUnknownKeys();
        if (errors.Count > 0 || options is null)
            throw new ArgumentException($"settings of {kind} type \"{module.Name}\" have errors: {string.Join("; ", errors)}", nameof(hocon));
        return options;
    }

    /// <inheritdoc cref="ParseSettings(IComponentModule, string)"/>
    public static T ParseSettings<T>(IComponentModule module, string hocon = "") => (T)ParseSettings(module, hocon);

    private static string ReadReference()
    {
        using var stream = typeof(TopologyLoader).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"embedded resource {ReferenceResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
