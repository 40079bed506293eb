using System.Text.RegularExpressions;

namespace Ingrain.Steps.Filter;

/// <summary>Whether a <c>filter</c> keeps or drops the measurements its conditions match.</summary>
public enum FilterAction
{
    Keep,
    Drop,
}

/// <summary>
/// <c>filter</c>: a measurement matches when its name matches <c>name</c> (if given) and every tag condition holds
/// (a condition on an absent tag does not hold). <c>action = keep</c> passes only matches; <c>drop</c> passes
/// everything else. Dropped measurements are counted.
/// </summary>
public sealed class FilterStep(FilterAction action, Regex? name, IReadOnlyList<TagCondition> tags, ComponentCounters counters)
    : IPipelineStep
{
    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        if (Matches(measurement) == (action == FilterAction.Keep)) output.Emit(measurement);
        else counters.AddDropped();
    }

    public void Flush(IStepOutput output) { }

    private bool Matches(Measurement m)
    {
        if (name is not null && !name.IsMatch(m.Name)) return false;
        foreach (var condition in tags)
        {
            var value = m.Tags.Get(condition.Key);
            if (value is null || !condition.Pattern.IsMatch(value)) return false;
        }
        return true;
    }
}
