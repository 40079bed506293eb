using Ingrain.Probes.Kernel;
using Ingrain.Topology;

namespace Ingrain.Agent.Composition;

/// <summary>
/// <c>ingrain run</c> (at start and on every reload) does not start a probe whose type needs what this kernel lacks:
/// the probe is marked refused with the same reason <c>ingrain probes</c> gives, shows as not attached, and the rest
/// of the topology runs. A missing capability is not a refusal: attaching says which one is missing, and retries.
/// </summary>
internal static class ProbeRefusals
{
    public static TopologySpec Apply(TopologySpec spec) => spec with
    {
        Probes = spec.Probes.ToDictionary(p => p.Key, p => p.Value.Type.Requirements.Count > 0
            && ProbeSupport.Check(p.Value.Type).KernelCannotRun is { } reason ? p.Value with { Refused = reason } : p.Value, StringComparer.Ordinal),
    };

    public static CompileResult Apply(CompileResult result) =>
        result.Spec is { } spec ? result with { Spec = Apply(spec) } : result;
}
