namespace Ingrain.Steps.AddSystemDetails;

/// <summary><c>type = add-system-details</c>: adds the host's name and kernel to every measurement.</summary>
public sealed class AddSystemDetailsModule : StepModule<NoOptions>
{
    public override string Name => "add-system-details";

    protected override NoOptions Parse(ConfigSection section) => NoOptions.Instance;

    protected override IPipelineStep Create(NoOptions options, StepContext context) => new AddSystemDetailsStep(SystemDetails.Read());
}
