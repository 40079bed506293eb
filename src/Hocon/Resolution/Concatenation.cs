namespace Ingrain.Hocon.Resolution;

/// <summary>Value concatenation (<c>foo bar</c>, <c>[1] [2]</c>, <c>{a:1} {b:2}</c>), joined as early as possible.</summary>
internal static class Concatenation
{
    /// <summary>A single value stays as it is; resolved pieces are joined now; otherwise joining waits for resolution.</summary>
    public static HoconValue Create(IReadOnlyList<HoconValue> pieces, HoconOrigin origin)
    {
        if (pieces.Count == 1) return pieces[0];
        if (pieces.Any(p => p is UnresolvedValue)) return new ConcatenationNode(origin, pieces);
        return Join(pieces) ?? new HoconString(origin, "", wasQuoted: true);
    }

    /// <summary>Joins resolved pieces left to right; null when there are none.</summary>
    public static HoconValue? Join(IReadOnlyList<HoconValue> pieces)
    {
        HoconValue? left = null;
        foreach (var piece in pieces)
        {
            left = left is null ? piece : JoinTwo(left, piece);
        }
        return left;
    }

    private static HoconValue JoinTwo(HoconValue left, HoconValue right)
    {
        // An object with numeric keys can stand in for a list next to a list.
        if (left is HoconObject leftObject && right is HoconList) left = leftObject.AsNumericList() ?? left;
        else if (left is HoconList && right is HoconObject rightObject) right = rightObject.AsNumericList() ?? right;

        if (left is HoconObject && right is HoconObject) return Merger.Merge(right, left);
        if (left is HoconList leftList && right is HoconList rightList)
            return new HoconList(left.Origin, [.. leftList.Items, .. rightList.Items]);
        // Unquoted text (whitespace) next to an object or list is ignored, as in the reference.
        if (left is HoconObject or HoconList && right is HoconString { WasQuoted: false }) return left;

        var leftText = left.ConcatText;
        var rightText = right.ConcatText;
        if (leftText is null || rightText is null)
        {
            throw new HoconException(
                $"cannot concatenate {Describe(left)} with {Describe(right)}: objects and lists only concatenate with their own kind",
                leftText is null ? left.Origin : right.Origin);
        }
        return new HoconString(left.Origin, leftText + rightText, wasQuoted: true);
    }

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconList => "a list",
        HoconString s => $"the string {Syntax.Quoting.Quote(s.Value)}",
        _ => $"the value {value.ConcatText}",
    };
}
