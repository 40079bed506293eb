
namespace Ingrain.Steps.AddSystemDetails;

/// <summary>
/// <c>add-system-details</c>: tags every measurement with <c>host</c> (FQDN) and <c>kernel</c> (release).
/// Details are read once when the step is built. Unlike ingraind, an existing <c>host</c>/<c>kernel</c> tag is
/// replaced rather than duplicated.
/// </summary>
public sealed class AddSystemDetailsStep(SystemDetails details) : IPipelineStep
{
    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        var tags = TagEdits.Set(measurement.Tags, "host", details.Host, "kernel", details.Kernel);
        output.Emit(ReferenceEquals(tags, measurement.Tags) ? measurement : measurement.WithTags(tags));
    }

    public void Flush(IStepOutput output) { }
}
