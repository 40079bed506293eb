using Ingrain.Native;

namespace Ingrain.Probes.Kernel;

/// <summary>One requirement of a probe type and what the feature probe said of it.</summary>
/// <param name="Available">True: there; false: missing (<paramref name="Reason"/> says why); null: could not be checked.</param>
public sealed record RequirementStatus(ProbeRequirement Requirement, bool? Available, string? Reason);

/// <summary>Whether this kernel (and this process) can run one probe type: each requirement checked.</summary>
public sealed record ProbeSupportReport(string Type, IReadOnlyList<RequirementStatus> Requirements)
{
    /// <summary>The first kernel requirement that is missing, as <c>ingrain run</c> says it; null when the kernel has all.</summary>
    public string? KernelCannotRun => Requirements.FirstOrDefault(r => r.Requirement.OfTheKernel && r.Available == false) is { } missing
        ? $"this kernel cannot run it: {missing.Requirement}: {missing.Reason}"
        : null;

    /// <summary>Every requirement there (a capability or a check that could not run counts as not there).</summary>
    public bool Ready => Requirements.All(r => r.Available == true);
}

/// <summary>
/// Checks the requirements a probe module declares (<see cref="IProbeModule.Requirements"/>) with
/// <see cref="KernelFeatures"/>; each answer is asked once per process (the kernel does not change while it runs).
/// </summary>
public static class ProbeSupport
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ProbeRequirement, RequirementStatus> Checked = new();

    public static ProbeSupportReport Check(IProbeModule module) =>
        new(module.Name, [.. module.Requirements.Select(Check)]);

    public static RequirementStatus Check(ProbeRequirement requirement) => Checked.GetOrAdd(requirement, r =>
    {
        var answer = r.Kind switch
        {
            RequirementKind.ProgramType => KernelFeatures.ProgramType(r.Name),
            RequirementKind.MapType => KernelFeatures.MapType(r.Name),
            RequirementKind.Tracepoint or RequirementKind.RawTracepoint => KernelFeatures.Tracepoint(r.Name),
            RequirementKind.BtfTracepoint => KernelFeatures.BtfTracepoint(r.Name),
            RequirementKind.Cgroup2 => KernelFeatures.CgroupV2(),
            RequirementKind.Btf => KernelFeatures.Btf(),
            RequirementKind.Capability => KernelFeatures.Capability(r.Name),
            _ => FeatureAnswer.Unknown($"no check for {r.Kind}"),
        };
        return new RequirementStatus(r, answer.Available, answer.Reason);
    });
}
