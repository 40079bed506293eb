using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>The duplicate-key rule: objects merge recursively, anything else hides what is below it. When either side
/// is not resolved yet, the merge is kept as a <see cref="MergeNode"/> and decided during resolution.</summary>
internal static class Merger
{
    public static HoconValue Merge(HoconValue over, HoconValue under)
    {
        if (over is HoconObject overObject)
        {
            return under switch
            {
                HoconObject underObject => MergeObjects(overObject, underObject),
                UnresolvedValue => new MergeNode(over.Origin, [over, .. Layers(under)]),
                _ => over,
            };
        }
        if (over is UnresolvedValue)
        {
            // An optional substitution may vanish, so whatever is below must be kept.
            return new MergeNode(over.Origin, [.. Layers(over), .. Layers(under)]);
        }
        return over;
    }

    private static IEnumerable<HoconValue> Layers(HoconValue value) => value is MergeNode merge ? merge.Layers : [value];

    private static HoconObject MergeObjects(HoconObject over, HoconObject under)
    {
        var fields = new OrderedDictionary<string, HoconValue>(under.Count + over.Count, StringComparer.Ordinal);
        foreach (var (key, underValue) in under.Fields)
        {
            fields[key] = over.TryGetValue(key, out var overValue) ? Merge(overValue, underValue) : underValue;
        }
        foreach (var (key, overValue) in over.Fields)
        {
            if (!fields.ContainsKey(key)) fields[key] = overValue;
        }
        return new HoconObject(over.Origin, fields);
    }
}
