using Ingrain.Backends.Console;
using Ingrain.Backends.Files;
using Ingrain.Backends.Http;
using Ingrain.Backends.S3;
using Ingrain.Backends.StatsD;
using Ingrain.Probes.Command;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Tls;
using Ingrain.Probes.Exec;
using Ingrain.Probes.Files;
using Ingrain.Probes.Network;
using Ingrain.Probes.StatsD;
using Ingrain.Probes.Syscalls;
using Ingrain.Probes.Synthetic;
using Ingrain.Steps.AddSystemDetails;
using Ingrain.Steps.Buffer;
using Ingrain.Steps.Container;
using Ingrain.Steps.Filter;
using Ingrain.Steps.RegexReplace;
using Ingrain.Steps.Whitelist;
using Ingrain.Topology;
using Ingrain.Topology.Modules;

namespace Ingrain.Agent.Composition;

/// <summary>
/// The composition root: every probe, step and backend `pipeline.hocon` may name, in one list. Adding a component
/// is one line here (a type name registered twice within a kind throws at start-up).
/// </summary>
internal static class AgentModules
{
    public static IReadOnlyList<IComponentModule> All { get; } =
    [
        // Probes: kernel (eBPF), then user space.
        new ExecProbeModule(),
        new NetworkProbeModule(),
        new FilesProbeModule(),
        new SyscallsProbeModule(),
        new DnsProbeModule(),
        new TlsProbeModule(),
        new StatsDProbeModule(),
        new CommandProbeModule(),
        new SyntheticProbeModule(),

        // Steps.
        new AddSystemDetailsModule(),
        new WhitelistModule(),
        new RegexModule(),
        new FilterModule(),
        new Steps.Exec.ExecModule(),
        new ContainerModule(),
        new BufferModule(),

        // Backends.
        new ConsoleBackendModule(),
        new FileBackendModule(),
        new StatsDBackendModule(),
        new HttpBackendModule(),
        new S3BackendModule(),
    ];

    public static ModuleRegistry CreateRegistry() => new(All);

    /// <summary>True when the spec uses a probe that needs the kernel (so the BPF preflight must run first).</summary>
    public static bool NeedsKernel(TopologySpec spec) => spec.Probes.Values.Any(p => p.Type.NeedsKernel);
}
