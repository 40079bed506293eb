using Ingrain.Topology.Configuration;

namespace Ingrain.Topology.Modules;

/// <summary>A backend kind (<c>backend { type = console }</c>): its settings parser and writer factory.</summary>
public interface IBackendModule : IComponentModule
{
    IBackendWriter Create(object options, BackendContext context);
}

/// <summary>The typed base of every backend module: one per folder of <c>src/Backends</c>.</summary>
public abstract class BackendModule<TOptions> : IBackendModule where TOptions : class
{
    public abstract string Name { get; }

    public ComponentKind Kind => ComponentKind.Backend;

    object? IComponentModule.Parse(ConfigSection section) => Parse(section);

    IBackendWriter IBackendModule.Create(object options, BackendContext context) => Create((TOptions)options, context);

    /// <inheritdoc cref="IComponentModule.Parse"/>
    protected abstract TOptions? Parse(ConfigSection section);

    protected abstract IBackendWriter Create(TOptions options, BackendContext context);

    public override string ToString() => Name;
}
