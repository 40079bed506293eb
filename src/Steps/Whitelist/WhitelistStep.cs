
namespace Ingrain.Steps.Whitelist;

/// <summary><c>whitelist</c>: keeps only the tags whose key is listed (an empty list strips every tag).</summary>
public sealed class WhitelistStep : IPipelineStep
{
    private readonly string[] _allow;

    public WhitelistStep(IEnumerable<string> allow) => _allow = allow.Distinct(StringComparer.Ordinal).ToArray();

    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        var tags = measurement.Tags.AsSpan();
        var kept = 0;
        foreach (var tag in tags)
        {
            if (Allowed(tag.Key)) kept++;
        }
        if (kept == tags.Length)
        {
            output.Emit(measurement);
            return;
        }
        var result = new KeyValuePair<string, string>[kept];
        var i = 0;
        foreach (var tag in tags)
        {
            if (Allowed(tag.Key)) result[i++] = tag;
        }
        output.Emit(measurement.WithTags(Tags.FromArray(result)));
    }

    // Allow lists are short: a linear scan with ordinal comparison beats hashing the key.
    private bool Allowed(string key)
    {
        foreach (var allowed in _allow)
        {
            if (string.Equals(allowed, key)) return true;
        }
        return false;
    }

    public void Flush(IStepOutput output) { }
}
