using Ingrain.Actors.Topology;
using Ingrain.Agent.Hosting;
using Ingrain.Topology;
using Ingrain.Topology.Modules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent;

/// <summary>
/// Reloads on request: compile the file; with errors, log them and keep running as before; else apply only the
/// difference (rolled back when a new component cannot start). Requests that pile up during a reload make one more.
/// </summary>
internal sealed class ReloadService(string configPath, ModuleRegistry registry, ReloadRequests requests, TopologyHolder holder,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Ingrain.Agent");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await requests.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (requests.Reader.TryRead(out var reason)) _logger.LogInformation("reload requested ({Reason})", reason);
                var reloader = new TopologyReloader(holder.Topology, _logger);
                await reloader.ReloadAsync(() => Composition.ProbeRefusals.Apply(TopologyLoader.FromFile(configPath, registry)), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
