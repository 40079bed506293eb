namespace Ingrain.Steps.RegexReplace;

/// <summary><c>type = regex</c>: rewrites tag values by regex replacement.</summary>
public sealed class RegexModule : StepModule<RegexOptions>
{
    public override string Name => "regex";

    protected override RegexOptions Parse(ConfigSection s)
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
        return new RegexOptions(rules);
    }

    protected override IPipelineStep Create(RegexOptions options, StepContext context) => new RegexStep(options.Patterns);
}

/// <summary>Settings of a <c>regex</c> step: its rules, applied in order.</summary>
public sealed record RegexOptions(IReadOnlyList<RegexRule> Patterns);
