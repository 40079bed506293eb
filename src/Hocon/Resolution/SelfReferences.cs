using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>
/// Binds self-referential substitutions (<c>a = ${a} x</c>, <c>a += x</c>, <c>a.b = ${a.b}</c>) to the value the field had
/// before. Only substitutions that are the field value itself or a piece of its concatenation qualify; ones nested in
/// objects or lists are ordinary (and form a cycle if they point at an enclosing field).
/// </summary>
internal static class SelfReferences
{
    public static HoconValue Bind(HoconValue value, HoconPath fieldPath, Func<HoconPath, HoconValue?> lookupPrevious)
    {
        switch (value)
        {
            case SubstitutionNode substitution when substitution.UnprefixedPath.StartsWith(fieldPath):
                return new SelfReferenceNode(substitution, lookupPrevious(substitution.UnprefixedPath));
            case ConcatenationNode concatenation when concatenation.Pieces.Any(p => p is SubstitutionNode):
                var pieces = concatenation.Pieces.Select(p => Bind(p, fieldPath, lookupPrevious)).ToList();
                return Concatenation.Create(pieces, concatenation.Origin);
            default:
                return value;
        }
    }

    /// <summary>The value at <paramref name="path"/> inside <paramref name="value"/> as far as it is known at parse time.</summary>
    public static HoconValue? Navigate(HoconValue value, HoconPath path)
    {
        for (var i = 0; i < path.Count; i++)
        {
            switch (value)
            {
                case HoconObject obj:
                    if (!obj.TryGetValue(path[i], out value!)) return null;
                    break;
                case UnresolvedValue:
                    return new ProjectionNode(value.Origin, value, path.Skip(i));
                default:
                    return null;
            }
        }
        return value;
    }
}
