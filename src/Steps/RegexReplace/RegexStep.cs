using System.Text.RegularExpressions;

namespace Ingrain.Steps.RegexReplace;

/// <summary>One <c>regex</c> rule: for tags named <paramref name="Key"/>, a value matching <paramref name="Pattern"/>
/// is replaced by <paramref name="ReplaceWith"/>, which may refer to capture groups (<c>$1</c>, <c>${name}</c>).</summary>
public sealed record RegexRule(string Key, Regex Pattern, string ReplaceWith);

/// <summary>
/// <c>regex</c>: rewrites tag values. The match is unanchored and the whole value becomes the expansion of
/// <c>replace-with</c> for that match (ingraind replaced the whole value with a constant; capture groups are new).
/// Rules for the same key apply in the order given, each seeing the previous one's result.
/// </summary>
public sealed class RegexStep : IPipelineStep
{
    // Tag values repeat a lot (process names, paths), so each rule remembers its recent results.
    private const int CacheLimit = 4096;

    private readonly string[] _keys;
    private readonly RuleWithCache[][] _rulesByKey;
    private readonly Func<string, string, string> _rewrite;

    public RegexStep(IEnumerable<RegexRule> rules)
    {
        var byKey = rules.GroupBy(r => r.Key, StringComparer.Ordinal).ToArray();
        _keys = byKey.Select(g => g.Key).ToArray();
        _rulesByKey = byKey.Select(g => g.Select(r => new RuleWithCache(r)).ToArray()).ToArray();
        _rewrite = Rewrite;
    }

    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        var tags = measurement.Tags.Select(_rewrite);
        output.Emit(ReferenceEquals(tags, measurement.Tags) ? measurement : measurement.WithTags(tags));
    }

    public void Flush(IStepOutput output) { }

    private string Rewrite(string key, string value)
    {
        // Few keys have rules: a linear ordinal scan is cheaper than hashing every tag key.
        for (var i = 0; i < _keys.Length; i++)
        {
            if (!string.Equals(_keys[i], key)) continue;
            foreach (var rule in _rulesByKey[i]) value = rule.Apply(value);
            return value;
        }
        return value;
    }

    private sealed class RuleWithCache(RegexRule rule)
    {
        private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

        public string Apply(string value)
        {
            if (_cache.TryGetValue(value, out var cached)) return cached;
            var match = rule.Pattern.Match(value);
            var result = match.Success ? match.Result(rule.ReplaceWith) : value;
            if (_cache.Count >= CacheLimit) _cache.Clear();
            _cache[value] = result;
            return result;
        }
    }
}
