using Ingrain.Actors.Topology;
using Ingrain.Probes;

namespace Ingrain.Agent.Composition;

/// <summary>
/// The composition root of component types: every probe, step and backend type `pipeline.hocon` may name.
/// Adding a type is one line here (registering a name twice throws at start-up).
/// </summary>
internal static class AgentComponents
{
    private static readonly ProbeRegistry KernelProbes = ProbeRegistry.CreateDefault();

    public static ComponentRegistry CreateRegistry()
    {
        // Steps (add-system-details, whitelist, regex, filter, exec, container, buffer), console and file backends,
        // and the synthetic load probe.
        var registry = Builtins.CreateRegistry();

        // Kernel probes (eBPF): one module per folder of src/Probes, listed in ProbeRegistry.CreateDefault().
        foreach (var type in KernelProbes.Types) registry.Register(KernelProbeType.From(KernelProbes.Get(type)));

        // User-space probes (statsd, command) and network backends (statsd, http, s3).
        foreach (var probe in UserSpaceComponents.Probes()) registry.Register(probe);
        foreach (var backend in UserSpaceComponents.Backends()) registry.Register(backend);
        return registry;
    }

    /// <summary>True when the spec uses a probe that needs the kernel (so the BPF preflight must run first).</summary>
    public static bool NeedsKernel(TopologySpec spec) => spec.Probes.Values.Any(p => KernelProbes.TryGet(p.Type.Name, out _));
}
