using Ingrain.Hocon.Resolution;
using Ingrain.Hocon.Syntax;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon;

/// <summary>
/// Entry points: parse HOCON (or JSON / .properties) from a string, file or stream and resolve substitutions.
/// Every failure is a <see cref="HoconException"/> naming file:line:col.
/// </summary>
public static class HoconParser
{
    /// <summary>Parses and resolves a document whose root is an object (braces may be omitted).</summary>
    public static Config Parse(string text, string? originName = null, HoconParseOptions? options = null)
    {
        options ??= HoconParseOptions.Default;
        var context = StringContext(originName ?? "string", options);
        return ToConfig(HoconDocument.ParseUnresolved(text, context, options.Syntax ?? HoconSyntax.Conf), options);
    }

    /// <summary>Parses and resolves a file; its syntax comes from the extension unless the options force one.
    /// Includes are resolved relative to the file's directory.</summary>
    public static Config ParseFile(string path, HoconParseOptions? options = null)
    {
        options ??= HoconParseOptions.Default;
        string full;
        string text;
        try
        {
            full = Path.GetFullPath(path);
            using var stream = options.OpenFile?.Invoke(full) ?? File.OpenRead(full);
            text = HoconDocument.Decode(stream, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new HoconException($"could not read config file: {e.Message}", new HoconOrigin(path, 0, 0), inner: e);
        }
        var context = new SourceContext(full, Path.GetDirectoryName(full), options, new Includer(), HoconPath.Empty, [full]);
        return ToConfig(HoconDocument.ParseUnresolved(text, context, options.Syntax ?? Includer.SyntaxOf(full)), options);
    }

    /// <summary>Parses and resolves UTF-8 text from a stream.</summary>
    public static Config Parse(Stream stream, string? originName = null, HoconParseOptions? options = null)
    {
        var text = HoconDocument.Decode(stream, originName ?? "stream");
        return Parse(text, originName ?? "stream", options);
    }

    /// <summary>Parses a single value whose root may be an object or a list. An object root is resolved like
    /// <see cref="Parse(string, string?, HoconParseOptions?)"/>; a list root is resolved against an empty document,
    /// so only environment variables can satisfy its substitutions.</summary>
    public static HoconValue ParseValue(string text, string? originName = null, HoconParseOptions? options = null)
    {
        options ??= HoconParseOptions.Default;
        var value = ParseUnresolved(text, originName, options);
        if (value is HoconObject obj) return Resolver.ResolveRoot(obj, options);
        var wrapper = new HoconObject(value.Origin);
        wrapper.Set("value", value);
        return Resolver.ResolveRoot(wrapper, options).TryGetValue("value", out var resolved)
            ? resolved
            : new HoconList(value.Origin, []);
    }

    /// <summary>The parse tree before substitutions are resolved (tests and the value-level entry point).</summary>
    internal static HoconValue ParseUnresolved(string text, string? originName, HoconParseOptions options) =>
        HoconDocument.ParseUnresolved(text, StringContext(originName ?? "string", options), options.Syntax ?? HoconSyntax.Conf);

    private static SourceContext StringContext(string description, HoconParseOptions options) =>
        new(description, options.IncludeBaseDirectory, options, new Includer(), HoconPath.Empty, []);

    private static Config ToConfig(HoconValue root, HoconParseOptions options)
    {
        if (root is not HoconObject obj)
            throw new HoconException("a config document must have an object at the root, not a list", root.Origin);
        return new Config(Resolver.ResolveRoot(obj, options));
    }
}
