using System.Text.RegularExpressions;

namespace Ingrain.Steps;

/// <summary>A tag condition: the measurement has a tag <paramref name="Key"/> whose value matches <paramref name="Pattern"/>.</summary>
public sealed record TagCondition(string Key, Regex Pattern);

/// <summary>Reads a list of <c>{ key = …, regex = … }</c> conditions (filter <c>tags</c>, exec <c>only-if</c>).</summary>
public static class TagConditions
{
    public static IReadOnlyList<TagCondition> Parse(ConfigSection s, string key)
    {
        var conditions = new List<TagCondition>();
        foreach (var c in s.ObjectList(key))
        {
            var tag = c.String("key", required: true);
            var regex = c.Regex("regex", required: true);
            c.ReportUnknownKeys();
            if (tag is not null && regex is not null) conditions.Add(new TagCondition(tag, regex));
        }
        return conditions;
    }
}
