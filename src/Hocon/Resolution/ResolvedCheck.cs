using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>Whether a value tree still holds substitutions. Shared subtrees are visited once.</summary>
internal static class ResolvedCheck
{
    public static bool IsResolved(HoconValue value) => IsResolved(value, new HashSet<HoconValue>(ReferenceEqualityComparer.Instance));

    private static bool IsResolved(HoconValue value, HashSet<HoconValue> seen)
    {
        switch (value)
        {
            case UnresolvedValue:
                return false;
            case HoconObject obj:
                return !seen.Add(obj) || obj.Fields.Values.All(v => IsResolved(v, seen));
            case HoconList list:
                return !seen.Add(list) || list.Items.All(v => IsResolved(v, seen));
            default:
                return true;
        }
    }
}
