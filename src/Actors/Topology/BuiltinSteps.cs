using Ingrain.Actors.Pipeline.Steps;

namespace Ingrain.Actors.Topology;

/// <summary>Settings of a component type that has none.</summary>
public sealed record NoOptions
{
    public static readonly NoOptions Instance = new();
}

/// <summary>The step types built into Ingrain.Actors, with their HOCON parsers. Defaults live in reference.hocon.</summary>
public static class BuiltinSteps
{
    public static IEnumerable<StepType> All()
    {
        yield return StepType.Of("add-system-details", _ => NoOptions.Instance, (_, _) => new AddSystemDetailsStep(SystemDetails.Read()));
        yield return StepType.Of("whitelist", s => s.StringList("allow", required: true), (allow, _) => new WhitelistStep(allow));
        yield return StepType.Of("regex", ParseRegex, (rules, _) => new RegexStep(rules));
        yield return StepType.Of("filter", ParseFilter, (o, c) => new FilterStep(o.Action, o.Name, o.Tags, c.Counters));
        yield return StepType.Of("exec", ParseExec, (o, c) => new ExecStep(o, c));
        yield return StepType.Of("container", ParseContainer, (o, c) => new ContainerStep(o, c));
        yield return StepType.Of("buffer", ParseBuffer, (o, c) => new BufferStep(o, c));
    }

    private static IReadOnlyList<RegexRule>? ParseRegex(ConfigSection s)
    {
        var rules = new List<RegexRule>();
        foreach (var p in s.ObjectList("patterns", required: true))
        {
            var key = p.String("key", required: true);
            var regex = p.Regex("regex", required: true);
            var replaceWith = p.String("replace-with", required: true);
            p.ReportUnknownKeys();
            if (regex is not null && replaceWith is not null)
            {
                foreach (var reference in ReplacementReferences.Unknown(regex, replaceWith))
                    p.Error("replace-with", $"{reference} refers to a group the regex doesn't have (it would be written literally; use $$ for a dollar)");
            }
            if (key is not null && regex is not null && replaceWith is not null) rules.Add(new RegexRule(key, regex, replaceWith));
        }
        return rules;
    }

    private static IReadOnlyList<TagCondition> ParseConditions(ConfigSection s, string key)
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

    private static FilterOptions ParseFilter(ConfigSection s)
    {
        var action = s.Choice("action", FilterAction.Keep, new Dictionary<string, FilterAction> { ["keep"] = FilterAction.Keep, ["drop"] = FilterAction.Drop });
        var name = s.Regex("name");
        var tags = ParseConditions(s, "tags");
        if (!s.Has("name") && tags.Count == 0 && !s.Has("tags")) s.Error(null, "a filter needs \"name\" or \"tags\" (or both)");
        return new FilterOptions(action, name, tags);
    }

    private static ExecOptions ParseExec(ConfigSection s)
    {
        var command = s.StringList("command", required: true);
        if (s.Has("command") && command.Count == 0) s.Error("command", "must name a program (argv, no shell)");
        return new ExecOptions(
            command,
            ParseConditions(s, "only-if"),
            s.Double("max-per-second", 10, min: 0.001),
            s.Duration("timeout", TimeSpan.FromSeconds(10), min: TimeSpan.FromMilliseconds(1)),
            s.Int("max-concurrent", 4, min: 1, max: 256),
            s.Int("queue-size", 64, min: 1));
    }

    private static ContainerOptions ParseContainer(ConfigSection s)
    {
        var d = ContainerOptions.Default;
        return new ContainerOptions(
            s.String("proc-root", d.ProcRoot)!,
            s.String("cgroup-root", d.CgroupRoot)!,
            s.Int("cache-size", d.CacheSize, min: 1),
            s.Duration("pid-cache-ttl", d.PidCacheTtl, min: TimeSpan.Zero));
    }

    private static BufferOptions ParseBuffer(ConfigSection s)
    {
        var d = BufferOptions.Default;
        return new BufferOptions(
            s.Duration("interval", d.Interval, min: TimeSpan.FromMilliseconds(1)),
            s.Int("max-keys", d.MaxKeys, min: 1),
            s.Int("max-values-per-key", d.MaxValuesPerKey, min: 1),
            s.DoubleList("percentiles", d.Percentiles, 0, 100),
            s.Bool("enable-histograms", d.EnableHistograms),
            s.Int("histogram-samples", d.HistogramSamples, min: 1));
    }
}

/// <summary>Settings of a <c>filter</c> step.</summary>
public sealed record FilterOptions(FilterAction Action, System.Text.RegularExpressions.Regex? Name, IReadOnlyList<TagCondition> Tags);
