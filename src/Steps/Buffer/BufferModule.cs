namespace Ingrain.Steps.Buffer;

/// <summary><c>type = buffer</c>: aggregates measurements over an interval (sums, percentiles, histograms).</summary>
public sealed class BufferModule : StepModule<BufferOptions>
{
    public override string Name => "buffer";

    protected override BufferOptions Parse(ConfigSection s) => new(
        s.Duration("interval", min: TimeSpan.FromMilliseconds(1)),
        s.Int("max-keys", min: 1),
        s.Int("max-values-per-key", min: 1),
        s.DoubleList("percentiles", 0, 100),
        s.Bool("enable-histograms"),
        s.Int("histogram-samples", min: 1));

    protected override IPipelineStep Create(BufferOptions options, StepContext context) => new BufferStep(options, context);
}
