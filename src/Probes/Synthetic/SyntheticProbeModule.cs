namespace Ingrain.Probes.Synthetic;

/// <summary><c>type = synthetic</c>: generates load at a fixed rate (benchmarks, load tests, trying a pipeline).</summary>
public sealed class SyntheticProbeModule : ProbeModule<SyntheticProbeOptions>
{
    public override string Name => "synthetic";

    protected override SyntheticProbeOptions Parse(ConfigSection s)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (s.Object("tags") is { } t)
        {
            foreach (var key in t.User.Keys)
            {
                if (t.String(key) is { } v) tags.Add(new(key, v));
            }
        }
        return new SyntheticProbeOptions(
            s.String("name", required: true) ?? "",
            s.Double("rate", min: 0.001),
            s.Int("batch-size", min: 1),
            Tags.From(tags),
            s.Int("count", min: -1));
    }

    protected override IProbe Create(SyntheticProbeOptions options, ProbeContext context) => new SyntheticProbe(options, context.Time);
}
