using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>Base of the parse-tree nodes that exist only until substitutions are resolved.</summary>
internal abstract class UnresolvedValue(HoconOrigin origin) : HoconValue(origin)
{
    public override HoconValueType Type =>
        throw new HoconException("value has unresolved substitutions; resolve the document first", Origin);

    internal override string? ConcatText => null;
}

/// <summary><c>${path}</c> or <c>${?path}</c>. <see cref="PrefixLength"/> &gt; 0 when it came from an included file:
/// the path is first tried with the include point's prefix, then without it.</summary>
internal sealed class SubstitutionNode(HoconOrigin origin, HoconPath path, bool optional, int prefixLength) : UnresolvedValue(origin)
{
    public HoconPath Path { get; } = path;

    public bool Optional { get; } = optional;

    public int PrefixLength { get; } = prefixLength;

    /// <summary>The path as written in its own file.</summary>
    public HoconPath UnprefixedPath => PrefixLength == 0 ? Path : Path.Skip(PrefixLength);

    public SubstitutionNode WithPrefix(HoconPath prefix) =>
        new(Origin, prefix.Concat(Path), Optional, PrefixLength + prefix.Count);
}

/// <summary>Several values written next to each other on one line; unquoted whitespace between them is kept as
/// unquoted <see cref="HoconString"/> pieces.</summary>
internal sealed class ConcatenationNode(HoconOrigin origin, IReadOnlyList<HoconValue> pieces) : UnresolvedValue(origin)
{
    public IReadOnlyList<HoconValue> Pieces { get; } = pieces;
}

/// <summary>Values of one field from several definitions, highest priority first, whose merge has to wait
/// until substitutions are resolved.</summary>
internal sealed class MergeNode(HoconOrigin origin, IReadOnlyList<HoconValue> layers) : UnresolvedValue(origin)
{
    public IReadOnlyList<HoconValue> Layers { get; } = layers;
}

/// <summary>A self-referential substitution (<c>a = ${a} x</c>) already bound to the value the field had before
/// (null if none: then only the environment can supply it).</summary>
internal sealed class SelfReferenceNode(SubstitutionNode substitution, HoconValue? previous) : UnresolvedValue(substitution.Origin)
{
    public SubstitutionNode Substitution { get; } = substitution;

    public HoconValue? Previous { get; } = previous;
}

/// <summary>The value at <see cref="Path"/> inside a value that is not resolved yet.</summary>
internal sealed class ProjectionNode(HoconOrigin origin, HoconValue source, HoconPath path) : UnresolvedValue(origin)
{
    public HoconValue Source { get; } = source;

    public HoconPath Path { get; } = path;
}
