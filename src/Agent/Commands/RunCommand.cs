using System.CommandLine;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Native.Errors;
using Ingrain.Probes;
using Ingrain.Probes.Exec;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent.Commands;

/// <summary>
/// <c>ingrain run --config pipeline.hocon</c>: runs the agent until Ctrl-C or SIGTERM, then detaches every BPF link
/// and exits 0. Until the HOCON topology is wired in, the pipeline is fixed: exec probe → console (JSON lines on
/// stdout); logs go to stderr.
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

    private static async Task<int> RunAsync(FileInfo config, CancellationToken commandLineCancelled)
    {
        using var loggerFactory = AgentLogging.CreateFactory();
        var logger = loggerFactory.CreateLogger("Ingrain.Agent");
        LibBpfLog.Logger = loggerFactory.CreateLogger("libbpf");
        if (!config.Exists)
        {
            logger.LogError("Config file {Path} not found: pass --config PATH", config.FullName);
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(commandLineCancelled);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // we exit ourselves, after detaching
            stop.Cancel();
        }

        IProbe probe;
        try
        {
            var preflight = BpfPreflight.Run(logger);
            logger.LogInformation("Kernel {Kernel}; pipeline {Config} (built-in: exec -> console)", preflight.Kernel, config.FullName);
            probe = ProbeRegistry.CreateDefault().Get(ExecProbe.ProbeType).Attach(new ProbeContext(loggerFactory));
        }
        catch (BpfException e)
        {
            logger.LogError("{Message}", e.Message);
            if (e is BpfVerifierException v) logger.LogDebug("Verifier log:\n{Log}", string.Join('\n', v.Log));
            return 1;
        }

        await using (probe)
        {
            using var console = new JsonLineConsole(Console.OpenStandardOutput());
            try
            {
                await probe.RunAsync(console.Write, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            logger.LogInformation("Stopping {Probe} probe: {Stats}", probe.Type, probe.Stats());
        }
        return 0;
    }
}
