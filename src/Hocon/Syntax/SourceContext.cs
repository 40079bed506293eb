using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

/// <summary>What a document parse needs to know about where its text came from.</summary>
/// <param name="Description">File path or other name used in origins.</param>
/// <param name="Directory">Directory relative includes resolve against (null: none).</param>
/// <param name="SubstitutionPrefix">For an included document: the path of the include point, tried first for its substitutions.</param>
/// <param name="IncludeChain">Files being included, outermost first (cycle detection).</param>
/// <param name="OuterPrevious">For an included document: the value a (file-local) path had in the including
/// document before the include point, so that self-references in the included file can see it.</param>
internal sealed record SourceContext(
    string Description,
    string? Directory,
    HoconParseOptions Options,
    Includer Includer,
    HoconPath SubstitutionPrefix,
    IReadOnlyList<string> IncludeChain,
    Func<HoconPath, HoconValue?>? OuterPrevious = null);

internal enum IncludeKind
{
    Heuristic,
    File,
    Classpath,
    Url,
}

internal sealed record IncludeRequest(IncludeKind Kind, string Name, bool Required);
