using Ingrain.Backends.Http;
using Ingrain.Probes.Command;
using Ingrain.Probes.StatsD;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>Options as the agent parses them: reference.hocon's defaults plus the required keys; tests vary them with <c>with</c>.</summary>
internal static class Settings
{
    public static CommandProbeOptions Command => TopologyLoader.ParseSettings<CommandProbeOptions>(new CommandProbeModule(), "name = test, command = [\"true\"]");

    public static StatsDProbeOptions StatsD => TopologyLoader.ParseSettings<StatsDProbeOptions>(new StatsDProbeModule());

    public static HttpBackendOptions Http => TopologyLoader.ParseSettings<HttpBackendOptions>(new HttpBackendModule(), "uri = \"http://127.0.0.1:1/\"");
}
