using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Pipeline.Steps;

/// <summary><c>whitelist</c>: keeps only the tags whose key is listed (an empty list strips every tag).</summary>
public sealed class WhitelistStep : IPipelineStep
{
    private readonly HashSet<string> _allow;
    private readonly Func<KeyValuePair<string, string>, bool> _keep;

    public WhitelistStep(IEnumerable<string> allow)
    {
        _allow = new HashSet<string>(allow, StringComparer.Ordinal);
        _keep = p => _allow.Contains(p.Key);
    }

    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        var tags = measurement.Tags.Where(_keep);
        output.Emit(ReferenceEquals(tags, measurement.Tags) ? measurement : measurement with { Tags = tags });
    }

    public void Flush(IStepOutput output) { }
}
