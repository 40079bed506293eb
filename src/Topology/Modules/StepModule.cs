using Ingrain.Topology.Configuration;

namespace Ingrain.Topology.Modules;

/// <summary>A step kind (<c>type = buffer</c>): its settings parser and step factory.</summary>
public interface IStepModule : IComponentModule
{
    IPipelineStep Create(object options, StepContext context);
}

/// <summary>The typed base of every step module: one per folder of <c>src/Steps</c>.</summary>
public abstract class StepModule<TOptions> : IStepModule where TOptions : class
{
    public abstract string Name { get; }

    public ComponentKind Kind => ComponentKind.Step;

    object? IComponentModule.Parse(ConfigSection section) => Parse(section);

    IPipelineStep IStepModule.Create(object options, StepContext context) => Create((TOptions)options, context);

    /// <inheritdoc cref="IComponentModule.Parse"/>
    protected abstract TOptions? Parse(ConfigSection section);

    protected abstract IPipelineStep Create(TOptions options, StepContext context);

    public override string ToString() => Name;
}
