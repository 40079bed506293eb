using Ingrain.Topology.Configuration;

namespace Ingrain.Topology.Modules;

/// <summary>A probe kind (<c>type = exec</c>): its settings parser and how to start (attach) one.</summary>
public interface IProbeModule : IComponentModule
{
    /// <summary>True when the probe loads BPF programs (the agent then runs the kernel preflight first).</summary>
    bool NeedsKernel { get; }

    /// <summary>
    /// True when two instances can run at once (each its own kernel programs), so a reload that changes the probe's
    /// settings attaches the new instance before it detaches the old one and nothing goes unseen in between (events in
    /// the overlap may be reported by both). False for a probe that holds something only one can have (a bound port):
    /// the old instance stops first.
    /// </summary>
    bool CanRunSideBySide { get; }

    /// <summary>
    /// What the probe needs, as data: program, map and tracepoint types, cgroup v2, BTF, capabilities. <c>ingrain
    /// probes</c> checks each with a feature probe, and <c>ingrain run</c> does not start a probe whose kernel
    /// requirement is missing. Empty for a user-space probe.
    /// </summary>
    IReadOnlyList<ProbeRequirement> Requirements { get; }

    /// <summary>Starts (attaches) the probe; may throw, which the probe's supervisor answers with a backoff restart.</summary>
    IProbe Create(object options, ProbeContext context);
}

/// <summary>The typed base of every probe module: one per folder of <c>src/Probes</c>.</summary>
public abstract class ProbeModule<TOptions> : IProbeModule where TOptions : class
{
    public abstract string Name { get; }

    public ComponentKind Kind => ComponentKind.Probe;

    public virtual bool NeedsKernel => false;

    public virtual bool CanRunSideBySide => NeedsKernel;

    public virtual IReadOnlyList<ProbeRequirement> Requirements => [];

    object? IComponentModule.Parse(ConfigSection section) => Parse(section);

    IProbe IProbeModule.Create(object options, ProbeContext context) => Create((TOptions)options, context);

    /// <inheritdoc cref="IComponentModule.Parse"/>
    protected abstract TOptions? Parse(ConfigSection section);

    /// <inheritdoc cref="IProbeModule.Create"/>
    protected abstract IProbe Create(TOptions options, ProbeContext context);

    public override string ToString() => Name;
}
