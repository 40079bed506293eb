using Ingrain.Native;

namespace Ingrain.TestSupport.Kernel;

/// <summary>First line of every kernel test: the machine can run it (else skip, or fail under CI), and the agent's
/// preflight ran once (tracefs and bpffs mounted, as on a fresh machine they are not).</summary>
public static class KernelReady
{
    private static readonly Lazy<PreflightReport> Preflight = new(() => BpfPreflight.Run());

    public static void Ensure()
    {
        KernelRequirements.Require();
        _ = Preflight.Value;
    }
}
