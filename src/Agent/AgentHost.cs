using System.Runtime.InteropServices;
using System.Threading.Channels;
using Ingrain.Actors;
using Ingrain.Actors.Topology;
using Ingrain.Topology;
using Ingrain.Topology.Modules;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent;

/// <summary>
/// Runs a compiled topology until SIGTERM/SIGINT, reloading it on SIGHUP and when the configuration file changes.
/// <para>Reload: parse and validate; on error log every error and keep running as before; on success apply only the
/// difference. Shutdown (first signal): stop probes, drain pipelines, flush and close backends — the actor system's
/// coordinated-shutdown phases — within <c>ingrain.agent.shutdown-timeout</c>, then exit 0 (1 if the deadline was
/// hit). A second signal exits at once (code 130).</para>
/// </summary>
internal sealed class AgentHost(string configPath, ModuleRegistry registry, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Ingrain.Agent");
    private readonly Channel<string> _reloads = Channel.CreateUnbounded<string>();
    private int _signals;

    public async Task<int> RunAsync(TopologySpec spec, CancellationToken commandLineCancelled)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(commandLineCancelled);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnStopSignal(c, stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnStopSignal(c, stop));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            _reloads.Writer.TryWrite("SIGHUP");
        });
        using var watcher = spec.Agent.WatchConfig ? ConfigFileWatcher.Start(configPath, spec.Agent.WatchDebounce, () => _reloads.Writer.TryWrite("file changed")) : null;

        var system = ActorSystem.Create("ingrain", new ActorSystemSettings
        {
            LoggerFactory = loggerFactory,
            ShutdownPhases = ShutdownPhases(spec.Agent.ShutdownTimeout),
        });
        var topology = RunningTopology.Start(system, spec);
        topology.RegisterShutdown(system.CoordinatedShutdown);
        _logger.LogInformation("running {Probes} probe(s) into {Pipelines} pipeline(s) from {Config}", spec.Probes.Count, spec.Pipelines.Count, configPath);

        var reloader = new TopologyReloader(topology, _logger);
        try
        {
            while (await _reloads.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (_reloads.Reader.TryRead(out var reason)) _logger.LogInformation("reload requested ({Reason})", reason);
                // A stop signal abandons a reload still running, so the shutdown keeps its whole deadline.
                await reloader.ReloadAsync(() => TopologyLoader.FromFile(configPath, registry), stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        foreach (var status in topology.Status()) _logger.LogInformation("status: {Status}", status);
        var started = system.TimeProvider.GetTimestamp();
        var shutdown = system.CoordinatedShutdown.RunAsync("signal");
        var deadline = spec.Agent.ShutdownTimeout;
        var finished = await Task.WhenAny(shutdown, Task.Delay(deadline)).ConfigureAwait(false) == shutdown;
        _logger.LogInformation("stopped in {Elapsed}{Note}", system.TimeProvider.GetElapsedTime(started), finished ? "" : " (shutdown-timeout reached)");
        return finished ? 0 : 1;
    }

    private void OnStopSignal(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true; // we exit ourselves, after draining
        if (Interlocked.Increment(ref _signals) > 1)
        {
            // The user asked twice: leave now, without waiting for anything (not even the logger's queue).
            Console.Error.WriteLine($"{context.Signal} received again: exiting now without draining");
            ExitNow(130);
        }
        _logger.LogInformation("{Signal} received: stopping probes, draining pipelines (again to exit at once)", context.Signal);
        stop.Cancel();
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    /// <summary>The runtime's shutdown phases, sharing the configured deadline: most of it goes to draining.</summary>
    private static IReadOnlyList<ShutdownPhase> ShutdownPhases(TimeSpan total) =>
    [
        new(CoordinatedShutdown.PhaseBeforeShutdown, total * 0.05),
        new(CoordinatedShutdown.PhaseStopProbes, total * 0.2),
        new(CoordinatedShutdown.PhaseDrainPipelines, total * 0.45),
        new(CoordinatedShutdown.PhaseFlushBackends, total * 0.2),
        new(CoordinatedShutdown.PhaseActorSystemTerminate, total * 0.1),
    ];
}
