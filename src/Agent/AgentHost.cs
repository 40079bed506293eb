using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Ingrain.Actors.Logging;
using Ingrain.Actors.Topology;
using Ingrain.Agent.Hosting;
using Ingrain.Topology;
using Ingrain.Topology.Modules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent;

/// <summary>
/// Runs a compiled topology in a Microsoft.Extensions.Hosting generic host with Akka.Hosting, until SIGTERM/SIGINT;
/// reloads on SIGHUP and when the configuration file changes. Shutdown is Akka's coordinated shutdown, with the
/// topology's tasks in its standard phases (stop probes, drain, close backends) sharing <c>shutdown-timeout</c>;
/// exit 0, 1 when the deadline was hit, 3 when a probe was not attached at the end (see <see cref="ExitCodes"/>). Akka's own logs go through Microsoft.Extensions.Logging to stderr.
/// </summary>
internal sealed class AgentHost(string configPath, ModuleRegistry registry)
{
    public async Task<int> RunAsync(TopologySpec spec, CancellationToken commandLineCancelled)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        AgentLogging.Configure(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = spec.Agent.ShutdownTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<ReloadRequests>();
        builder.Services.AddSingleton<TopologyHolder>();
        builder.Services.AddSingleton<ServiceManagerNotice>();
        builder.Services.AddSingleton<SignalLifetime>();
        builder.Services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<SignalLifetime>());
        builder.Services.AddHostedService(sp => new ReloadService(configPath, registry, sp.GetRequiredService<ReloadRequests>(),
            sp.GetRequiredService<TopologyHolder>(), sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddAkka("ingrain", (akka, sp) =>
        {
            // Only text this code wrote, and the user's akka block rendered as JSON by the project's HOCON library.
            // The host's stop (our signal handling) runs the coordinated shutdown; not a CLR exit hook of Akka's own.
            akka.AddHocon(ConfigurationFactory.ParseString(RunningTopology.ShutdownPhasesHocon(spec.Agent.ShutdownTimeout)
                + "\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off"), HoconAddMode.Prepend);
            if (spec.AkkaJson is { } json) akka.AddHocon(ConfigurationFactory.ParseString(json), HoconAddMode.Prepend);
            // Akka's log events under a category naming the actor they come from.
            akka.AddSetup(new ActorLogSetup(sp.GetRequiredService<ILoggerFactory>()));
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<ActorLogBridge>();
            });
            akka.AddStartup((system, _) =>
            {
                var loggerFactory = sp.GetRequiredService<ILoggerFactory>();
                var topology = RunningTopology.Start(system, spec, loggerFactory);
                sp.GetRequiredService<TopologyHolder>().Topology = topology;
                if (spec.Agent.WatchConfig)
                {
                    var reloads = sp.GetRequiredService<ReloadRequests>();
                    var watcher = ConfigFileWatcher.Start(configPath, spec.Agent.WatchDebounce, () => reloads.Request("file changed"));
                    system.RegisterOnTermination(watcher.Dispose);
                }
                loggerFactory.CreateLogger("Ingrain.Agent").LogInformation("running {Probes} probe(s) into {Pipelines} pipeline(s) from {Config}",
                    spec.Probes.Count, spec.Pipelines.Count, configPath);
                sp.GetRequiredService<ServiceManagerNotice>().Ready($"running {spec.Probes.Count} probe(s) into {spec.Pipelines.Count} pipeline(s)");
            });
        });

        // After Akka's hosted service, so the topology starts first (the endpoint answers 503 until it has).
        if (spec.Agent.Prometheus is { } prometheus)
            builder.Services.AddHostedService(sp => new Endpoints.PrometheusEndpoint(prometheus, sp.GetRequiredService<TopologyHolder>(),
                sp.GetRequiredService<ILoggerFactory>()));

        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<SignalLifetime>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ingrain.Agent");
        var application = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var cancelled = commandLineCancelled.Register(application.StopApplication);
        await host.StartAsync().ConfigureAwait(false);
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        var elapsed = lifetime.FirstStop == 0 ? TimeSpan.Zero : TimeProvider.System.GetElapsedTime(lifetime.FirstStop);
        var inTime = elapsed <= spec.Agent.ShutdownTimeout;
        logger.LogInformation("stopped in {Elapsed}{Note}", elapsed, inTime ? "" : " (shutdown-timeout reached)");
        var unattached = host.Services.GetRequiredService<TopologyHolder>().Started?.NotAttachedAtShutdown ?? [];
        foreach (var (probe, reason) in unattached)
            logger.LogError("probe {Probe} was not attached when the agent stopped, so it monitored nothing: {Reason}", probe, reason);
        return unattached.Count > 0 ? ExitCodes.ProbeNotAttached : inTime ? 0 : ExitCodes.ShutdownTimeout;
    }
}
