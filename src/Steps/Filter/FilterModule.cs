namespace Ingrain.Steps.Filter;

/// <summary><c>type = filter</c>: keeps (or drops) measurements by name and tag conditions.</summary>
public sealed class FilterModule : StepModule<FilterOptions>
{
    private static readonly Dictionary<string, FilterAction> Actions = new() { ["keep"] = FilterAction.Keep, ["drop"] = FilterAction.Drop };

    public override string Name => "filter";

    protected override FilterOptions Parse(ConfigSection s)
    {
        var action = s.Choice("action", Actions);
        var name = s.Regex("name");
        var tags = TagConditions.Parse(s, "tags");
        if (!s.Has("name") && tags.Count == 0 && !s.Has("tags")) s.Error(null, "a filter needs \"name\" or \"tags\" (or both)");
        return new FilterOptions(action, name, tags);
    }

    protected override IPipelineStep Create(FilterOptions o, StepContext context) => new FilterStep(o.Action, o.Name, o.Tags, context.Counters);
}

/// <summary>Settings of a <c>filter</c> step.</summary>
public sealed record FilterOptions(FilterAction Action, System.Text.RegularExpressions.Regex? Name, IReadOnlyList<TagCondition> Tags);
