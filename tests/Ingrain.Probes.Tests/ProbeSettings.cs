using Ingrain.Probes.Command;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Exec;
using Ingrain.Probes.Files;
using Ingrain.Probes.Network;
using Ingrain.Probes.StatsD;
using Ingrain.Probes.Syscalls;
using Ingrain.Probes.Tls;

namespace Ingrain.Probes.Tests;

/// <summary>Probe options as the agent parses them: reference.hocon's defaults plus the required keys; tests vary them with <c>with</c>.</summary>
internal static class ProbeSettings
{
    public static CommandProbeOptions Command => TopologyLoader.ParseSettings<CommandProbeOptions>(new CommandProbeModule(), "name = test, command = [\"true\"]");

    public static StatsDProbeOptions StatsD => TopologyLoader.ParseSettings<StatsDProbeOptions>(new StatsDProbeModule());

    public static ExecProbeOptions Exec => TopologyLoader.ParseSettings<ExecProbeOptions>(new ExecProbeModule());

    public static DnsProbeOptions Dns => TopologyLoader.ParseSettings<DnsProbeOptions>(new DnsProbeModule());
    public static FilesProbeOptions Files(params string[] monitorDirs) => TopologyLoader.ParseSettings<FilesProbeOptions>(new FilesProbeModule(),
        $"monitor-dirs = [{string.Join(", ", monitorDirs.Select(d => $"\"{d}\""))}]");

    public static TlsProbeOptions Tls => TopologyLoader.ParseSettings<TlsProbeOptions>(new TlsProbeModule());

    public static NetworkProbeOptions Network => TopologyLoader.ParseSettings<NetworkProbeOptions>(new NetworkProbeModule());

    public static SyscallsProbeOptions Syscalls => TopologyLoader.ParseSettings<SyscallsProbeOptions>(new SyscallsProbeModule());
}
