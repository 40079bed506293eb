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

    public static CompileResult FromFile(string path, ComponentRegistry registry)
    {
        if (!File.Exists(path)) return CompileResult.Failed(new ConfigError(path, "(file)", "configuration file not found"));
        return Compile(() => HoconParser.ParseFile(path), registry);
    }

    public static CompileResult FromText(string text, ComponentRegistry registry, string origin = "pipeline.hocon") =>
        Compile(() => HoconParser.Parse(text, origin), registry);

    private static CompileResult Compile(Func<Config> parse, ComponentRegistry registry)
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
        return new TopologyCompiler(registry).Compile(ingrain);
    }

    private static string ReadReference()
    {
        using var stream = typeof(TopologyLoader).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"embedded resource {ReferenceResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
