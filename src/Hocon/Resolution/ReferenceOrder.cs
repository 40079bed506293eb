using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>
/// The order in which the reference implementation visits an object's fields while resolving: Java
/// <c>HashMap</c> iteration order (bucket of <c>String.hashCode</c>, then insertion order). Only documents whose
/// result depends on resolution order (self-references through merged substitutions) can tell the difference;
/// visiting in the same order gives the reference's answers for them. Output keeps definition order.
/// </summary>
internal static class ReferenceOrder
{
    public static IReadOnlyList<string> Of(IReadOnlyDictionary<string, HoconValue> fields)
    {
        if (fields.Count < 2) return fields.Keys.ToList();
        var capacity = 16;
        while (fields.Count > capacity * 3 / 4) capacity *= 2;
        return fields.Keys
            .Select((key, index) => (key, index, bucket: Bucket(key, capacity)))
            .OrderBy(e => e.bucket)
            .ThenBy(e => e.index)
            .Select(e => e.key)
            .ToList();
    }

    private static int Bucket(string key, int capacity)
    {
        var h = 0;
        foreach (var c in key) h = unchecked(31 * h + c);
        h ^= (int)((uint)h >> 16);
        return h & (capacity - 1);
    }
}
