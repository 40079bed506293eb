using Xunit;

namespace Ingrain.TestSupport.Kernel;

/// <summary>
/// A test that needs the real kernel (root, BTF, libbpf). Skipped when the machine cannot run it — except when
/// the environment variable CI is set: then it runs and fails, so CI never passes by skipping. Tests using it
/// should call <see cref="KernelRequirements.Require"/> first for a clear failure message, and belong to
/// <see cref="KernelCollection"/> so that kernel tests never run concurrently.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (KernelRequirements.MissingReason is { } reason && !KernelRequirements.IsCi)
            Skip = $"kernel test skipped: {reason}";
    }
}

/// <summary>
/// The xunit collection of kernel tests (<c>[Collection(KernelCollection.Name)]</c>): they share the kernel
/// (tracepoints, cgroups, counters by pid), so they run one at a time.
/// </summary>
public static class KernelCollection
{
    public const string Name = "kernel";
}
