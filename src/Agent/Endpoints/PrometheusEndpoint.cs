using System.Net;
using Ingrain.Actors.Components;
using Ingrain.Actors.Topology;
using Ingrain.Agent.Hosting;
using Ingrain.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent.Endpoints;

/// <summary>
/// <c>ingrain.agent.prometheus</c>: Kestrel on <see cref="PrometheusSpec.Listen"/> serving <c>/metrics</c> (the
/// status, see <see cref="StatusExporter"/>), <c>/healthz</c> (200 while the process runs) and <c>/readyz</c> (200 when
/// every configured probe is attached, else 503 naming each probe that is not and why). The status is asked of the
/// topology per request: this is the edge of the actor system.
/// </summary>
internal sealed class PrometheusEndpoint(PrometheusSpec spec, TopologyHolder holder, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Ingrain.Agent.Endpoints");
    private readonly StatusExporter _exporter = new();
    private WebApplication? _app;

    /// <summary>Where it listens once started (the port the kernel chose for <c>:0</c>).</summary>
    public IReadOnlyList<string> Urls => _app?.Urls.ToArray() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "ingrain" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // The agent's host handles the signals; this one only starts and stops with it.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(spec.Listen);
        });
        var app = builder.Build();
        app.MapGet("/metrics", Metrics);
        app.MapGet("/healthz", context => Text(context, StatusCodes.Status200OK, "ok\n"));
        app.MapGet("/readyz", Ready);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var urls = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        _logger.LogInformation("prometheus endpoint listening on {Urls} (/metrics, /healthz, /readyz)", string.Join(", ", urls));
        if (!IPAddress.IsLoopback(spec.Listen.Address))
            _logger.LogWarning("prometheus endpoint on {Address}, not loopback: anyone who reaches it reads what the agent watches", spec.Listen);
    }

    private async Task Metrics(HttpContext context)
    {
        if (holder.Started is not { } topology)
        {
            await Text(context, StatusCodes.Status503ServiceUnavailable, "starting\n").ConfigureAwait(false);
            return;
        }
        IReadOnlyList<ComponentStatus> status;
        try
        {
            status = await topology.StatusAsync().ConfigureAwait(false);
        }
        catch (Akka.Actor.AskTimeoutException)
        {
            await Text(context, StatusCodes.Status503ServiceUnavailable, "the topology did not answer (stopping?)\n").ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = StatusExporter.ContentType;
        await _exporter.WriteAsync(status, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task Ready(HttpContext context)
    {
        if (holder.Started is not { } topology)
        {
            await Text(context, StatusCodes.Status503ServiceUnavailable, "not ready: the topology has not started yet\n").ConfigureAwait(false);
            return;
        }
        TopologyStatus report;
        try
        {
            report = await topology.StatusReportAsync().ConfigureAwait(false);
        }
        catch (Akka.Actor.AskTimeoutException)
        {
            await Text(context, StatusCodes.Status503ServiceUnavailable, "not ready: the topology did not answer (stopping?)\n").ConfigureAwait(false);
            return;
        }
        var notAttached = report.Spec.Probes.Keys.Order(StringComparer.Ordinal)
            .Select(name => (name, counters: report.Probes.GetValueOrDefault(name)))
            .Where(p => p.counters is not { Attached: true })
            .Select(p => $"probe {p.name}: not attached ({p.counters?.NotAttachedReason ?? "stopped"})")
            .ToArray();
        await (notAttached.Length == 0
            ? Text(context, StatusCodes.Status200OK, $"ready: {report.Spec.Probes.Count} probe(s) attached\n")
            : Text(context, StatusCodes.Status503ServiceUnavailable, string.Join('\n', notAttached) + "\n")).ConfigureAwait(false);
    }

    private static Task Text(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app) await app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app) await app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A host lifetime that does nothing: the embedded web host starts and stops when the agent says.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
