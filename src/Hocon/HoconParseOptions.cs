using System.Reflection;

namespace Ingrain.Hocon;

/// <summary>How a document is parsed and resolved.</summary>
public sealed record HoconParseOptions
{
    public static readonly HoconParseOptions Default = new();

    /// <summary>Unresolved substitutions fall back to environment variables (HOCON spec). Turn off for reproducible configs.</summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>Directory that relative includes in a parsed <em>string</em> are resolved against (files use their own directory).</summary>
    public string? IncludeBaseDirectory { get; init; }

    /// <summary>Directory that <c>include file("...")</c> is resolved against; the process working directory when null (as the reference does).</summary>
    public string? FileIncludeBaseDirectory { get; init; }

    /// <summary>Assembly whose embedded resources serve <c>include classpath("...")</c>.</summary>
    public Assembly? ClasspathAssembly { get; init; }

    /// <summary>Directory used as a classpath root (the JVM resource folder equivalent). Also the fallback for plain includes not found next to the including file.</summary>
    public string? ClasspathDirectory { get; init; }

    /// <summary>Nesting limit for objects/arrays and for chains of substitutions; deeper input fails with a HoconException.</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>Limit on the number of values in the resolved document, counting every copy a substitution makes;
    /// stops documents that double in size with each substitution ("billion laughs").</summary>
    public long MaxResolvedValues { get; init; } = 1_000_000;

    /// <summary>Limit on the characters of the strings in the resolved document, counting every copy a substitution
    /// makes, and on the characters that concatenating substituted values builds (<c>a = ${b}${b}</c>); stops documents
    /// whose strings double with each substitution. 64 Mi characters (128 MiB) by default.</summary>
    public long MaxResolvedStringLength { get; init; } = 64L * 1024 * 1024;

    /// <summary>Opens a file to read: the parsed file and every file it includes (not embedded resources). Null opens
    /// it plainly. A caller can refuse a file here (not a regular file, too large, writable by others) by throwing
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>; the message names the reason and is
    /// reported with the file or the include that named it.</summary>
    public Func<string, Stream>? OpenFile { get; init; }

    /// <summary>Syntax forced for the input; by default taken from the file extension (.json, .properties, otherwise HOCON).</summary>
    public HoconSyntax? Syntax { get; init; }
}

/// <summary>Input syntax.</summary>
public enum HoconSyntax
{
    Conf,
    Json,
    Properties,
}
