using System.CommandLine;
using Ingrain.Actors.Topology;
using Ingrain.Topology;
using Ingrain.Topology.Configuration;
using Ingrain.Topology.Modules;
using Ingrain.Agent.Composition;
using Ingrain.Native;
using Ingrain.Native.Errors;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent.Commands;

/// <summary>
/// <c>ingrain run --config pipeline.hocon</c>: compiles the topology (exit 2 on configuration errors, each printed),
/// checks the kernel when an eBPF probe is used (exit 1 with what to do when it can't), does not start a probe whose
/// type needs what this kernel lacks (it shows as not attached with the reason; see <see cref="ProbeRefusals"/>), then runs until
/// SIGINT/SIGTERM (see <see cref="AgentHost"/>). Data goes to stdout (console backend), logs to stderr.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "The pipeline file (HOCON).",
            DefaultValueFactory = _ => new FileInfo("pipeline.hocon"),
        };
        var command = new Command("run", "Run the agent: attach the probes and stream measurements until stopped.") { config };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo config, CancellationToken cancellationToken)
    {
        using var loggerFactory = AgentLogging.CreateFactory();
        var logger = loggerFactory.CreateLogger("Ingrain.Agent");
        LibBpfLog.Logger = loggerFactory.CreateLogger("libbpf");

        var registry = AgentModules.CreateRegistry();
        var result = TopologyLoader.FromFile(config.FullName, registry);
        foreach (var warning in result.Warnings) logger.LogWarning("config: {Warning}", warning);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) logger.LogError("config: {Error}", error);
            return ExitCodes.ConfigError;
        }

        if (AgentModules.NeedsKernel(result.Spec!))
        {
            try
            {
                var preflight = BpfPreflight.Run(logger);
                logger.LogInformation("Kernel {Kernel}", preflight.Kernel);
            }
            catch (BpfException e)
            {
                logger.LogError("{Message}", e.Message);
                if (e is BpfVerifierException v) logger.LogDebug("Verifier log:\n{Log}", string.Join('\n', v.Log));
                return ExitCodes.KernelUnusable;
            }
        }

        // After the preflight (it mounts tracefs, where tracepoints are looked up).
        return await new AgentHost(config.FullName, registry).RunAsync(ProbeRefusals.Apply(result.Spec!), cancellationToken);
    }
}
