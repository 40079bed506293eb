namespace Ingrain.Steps.Container;

/// <summary><c>type = container</c>: tags measurements with the container (cgroup) of their process.</summary>
public sealed class ContainerModule : StepModule<ContainerOptions>
{
    public override string Name => "container";

    protected override ContainerOptions Parse(ConfigSection s) => new(
        s.String("proc-root", required: true) ?? "",
        s.String("cgroup-root", required: true) ?? "",
        s.Int("cache-size", min: 1),
        s.Duration("pid-cache-ttl", min: TimeSpan.Zero));

    protected override IPipelineStep Create(ContainerOptions options, StepContext context) => new ContainerStep(options, context);
}
