using System.Reflection;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

/// <summary>
/// Loads included documents: <c>include "x"</c> relative to the including file (then the classpath root),
/// <c>file()</c> relative to the working directory (as the reference), <c>classpath()</c> from the configured resource
/// directory or embedded resources. <c>url()</c> is refused: the agent never fetches configuration over the network.
/// </summary>
internal sealed class Includer
{
    /// <summary>The reference gives up after this many nested includes.</summary>
    public const int MaxIncludeDepth = 50;

    private static readonly string[] Extensions = [".properties", ".json", ".conf"];

    public HoconObject? Include(
        IncludeRequest request, SourceContext including, HoconPath prefix, Func<HoconPath, HoconValue?>? outerPrevious, HoconOrigin origin)
    {
        if (including.IncludeChain.Count >= MaxIncludeDepth)
            throw new HoconException(
                $"includes nest more than {MaxIncludeDepth} deep (include cycle?): {string.Join(" -> ", including.IncludeChain)}", origin);

        var sources = request.Kind switch
        {
            IncludeKind.Url => throw new HoconException(
                $"include url(\"{request.Name}\") is not supported: configuration is never fetched over the network; copy the file and include it with file()",
                origin),
            IncludeKind.File => FileCandidates(Path.Combine(including.Options.FileIncludeBaseDirectory ?? Directory.GetCurrentDirectory(), request.Name), including.Options),
            IncludeKind.Classpath => ClasspathCandidates(request.Name, including.Options),
            _ => HeuristicCandidates(request.Name, including, origin),
        };
        if (sources.Count == 0)
        {
            if (request.Required)
                throw new HoconException($"could not find required include \"{request.Name}\" ({request.Kind.ToString().ToLowerInvariant()})", origin);
            return null;
        }

        HoconObject? merged = null;
        foreach (var source in sources)
        {
            if (including.IncludeChain.Contains(source.Name, StringComparer.Ordinal))
                throw new HoconException($"include cycle: {string.Join(" -> ", including.IncludeChain.Append(source.Name))}", origin);
            var context = new SourceContext(
                source.Name, source.Directory, including.Options, this, prefix, [.. including.IncludeChain, source.Name], outerPrevious);
            var value = HoconDocument.ParseUnresolved(source.ReadText(origin), context, SyntaxOf(source.Name));
            if (value is not HoconObject obj)
                throw new HoconException($"included document {source.Name} must have an object at the root, not a list", origin);
            merged = merged is null ? obj : (HoconObject)Resolution.Merger.Merge(obj, merged);
        }
        return merged;
    }

    public static HoconSyntax SyntaxOf(string name) =>
        Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".json" => HoconSyntax.Json,
            ".properties" => HoconSyntax.Properties,
            _ => HoconSyntax.Conf,
        };

    private static bool HasKnownExtension(string name) => Extensions.Contains(Path.GetExtension(name).ToLowerInvariant());

    /// <summary>Without an extension: every existing .properties, .json and .conf, in increasing priority. When none
    /// exists but the file itself does (<c>include "x.hocon"</c>, an extension the reference does not know), that file is
    /// read as HOCON: an include of an existing file never silently gives nothing.</summary>
    private static List<IncludeSource> FileCandidates(string path, HoconParseOptions options)
    {
        var names = HasKnownExtension(path) ? [path] : Extensions.Select(e => path + e);
        var found = names.Where(File.Exists).Select(n => IncludeSource.FromFile(n, options)).ToList();
        if (found.Count == 0 && !HasKnownExtension(path) && File.Exists(path)) found.Add(IncludeSource.FromFile(path, options));
        return found;
    }

    private static List<IncludeSource> HeuristicCandidates(string name, SourceContext including, HoconOrigin origin)
    {
        if (Uri.TryCreate(name, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ftp" or "jar")
            throw new HoconException($"include \"{name}\" is a URL; configuration is never fetched over the network", origin);
        if (uri is not null && uri.IsFile && name.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return FileCandidates(uri.LocalPath, including.Options);

        // A parsed string has no directory of its own: relative names only resolve against IncludeBaseDirectory.
        var baseDirectory = including.Directory ?? including.Options.IncludeBaseDirectory;
        var found = Path.IsPathRooted(name) ? FileCandidates(name, including.Options)
            : baseDirectory is null ? []
            : FileCandidates(Path.Combine(baseDirectory, name), including.Options);
        // Like the JVM reference: a file that is not there falls back to the classpath.
        return found.Count > 0 ? found : ClasspathCandidates(name, including.Options);
    }

    private static List<IncludeSource> ClasspathCandidates(string name, HoconParseOptions options)
    {
        var resource = name.TrimStart('/');
        var names = HasKnownExtension(resource) ? [resource] : Extensions.Select(e => resource + e).ToArray();
        var found = new List<IncludeSource>();
        foreach (var candidate in names)
        {
            if (options.ClasspathDirectory is { } directory)
            {
                var file = Path.Combine(directory, candidate);
                if (File.Exists(file))
                {
                    found.Add(IncludeSource.FromFile(file, options));
                    continue;
                }
            }
            if (options.ClasspathAssembly is { } assembly && FindResource(assembly, candidate) is { } resourceName)
                found.Add(IncludeSource.FromResource(assembly, resourceName));
        }
        return found;
    }

    /// <summary>Embedded resource names use '.' for folders and may carry a namespace prefix: match the end.</summary>
    private static string? FindResource(Assembly assembly, string name)
    {
        var dotted = name.Replace('/', '.').Replace('\\', '.');
        return assembly.GetManifestResourceNames().FirstOrDefault(r => r == dotted || r.EndsWith("." + dotted, StringComparison.Ordinal));
    }
}

/// <summary>One document an include resolved to.</summary>
internal sealed record IncludeSource(string Name, string? Directory, Func<Stream> Open)
{
    public static IncludeSource FromFile(string path, HoconParseOptions options)
    {
        var full = Path.GetFullPath(path);
        return new IncludeSource(full, Path.GetDirectoryName(full), () => options.OpenFile?.Invoke(full) ?? File.OpenRead(full));
    }

    public static IncludeSource FromResource(Assembly assembly, string resourceName) =>
        new($"resource:{resourceName}", null, () => assembly.GetManifestResourceStream(resourceName)!);

    public string ReadText(HoconOrigin origin)
    {
        try
        {
            using var stream = Open();
            return HoconDocument.Decode(stream, Name);
        }
        catch (IOException e)
        {
            throw new HoconException($"could not read included {Name}: {e.Message}", origin, inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new HoconException($"could not read included {Name}: {e.Message}", origin, inner: e);
        }
    }
}
