using Ingrain.Hocon;
using Ingrain.Topology.Modules;

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

    public static CompileResult FromFile(string path, ModuleRegistry registry)
    {
        if (!File.Exists(path)) return CompileResult.Failed(new ConfigError(path, "(file)", "configuration file not found"));
        return Compile(() => HoconParser.ParseFile(path), registry);
    }

    public static CompileResult FromText(string text, ModuleRegistry registry, string origin = "pipeline.hocon") =>
        Compile(() => HoconParser.Parse(text, origin), registry);

    private static CompileResult Compile(Func<Config> parse, ModuleRegistry registry)
    {
        Config config;
        try
        {
            config = parse().WithFallback(HoconParser.Parse(ReferenceText, "reference.hocon"));
        }
        catch (HoconException e)
        {
            return CompileResult.Failed(new ConfigError(e.Origin.ToString(), e.Path ?? "(file)", e.Problem));
        }
        if (config.GetValue("ingrain") is not HoconObject ingrain)
            return CompileResult.Failed(new ConfigError("(file)", "ingrain", "the configuration has no \"ingrain\" object"));
        var result = new TopologyCompiler(registry).Compile(ingrain);
        if (result.Spec is not null && config.TryGetValue("akka") is HoconObject akka)
            result = result with { Spec = result.Spec with { AkkaJson = $"{{\"akka\":{akka.ToJson()}}}" } };
        return result;
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
        var defaults = (HoconObject)((HoconObject)config.GetValue("ingrain")!)["defaults"];
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
