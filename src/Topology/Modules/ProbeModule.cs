namespace Ingrain.Topology.Modules;

/// <summary>A probe kind (<c>type = exec</c>): its settings parser and how to start (attach) one.</summary>
public interface IProbeModule : IComponentModule
{
    /// <summary>True when the probe loads BPF programs (the agent then runs the kernel preflight first).</summary>
    bool NeedsKernel { get; }

    /// <summary>Starts (attaches) the probe; may throw, which the probe's supervisor answers with a backoff restart.</summary>
    IProbe Create(object options, ProbeContext context);
}

/// <summary>The typed base of every probe module: one per folder of <c>src/Probes</c>.</summary>
public abstract class ProbeModule<TOptions> : IProbeModule where TOptions : class
{
    public abstract string Name { get; }

    public ComponentKind Kind => ComponentKind.Probe;

    public virtual bool NeedsKernel => false;

    object? IComponentModule.Parse(ConfigSection section) => Parse(section);

    IProbe IProbeModule.Create(object options, ProbeContext context) => Create((TOptions)options, context);

    /// <inheritdoc cref="IComponentModule.Parse"/>
    protected abstract TOptions? Parse(ConfigSection section);

    /// <inheritdoc cref="IProbeModule.Create"/>
    protected abstract IProbe Create(TOptions options, ProbeContext context);

    public override string ToString() => Name;
}
