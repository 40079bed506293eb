using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent;

/// <summary>
/// The host's lifetime on Linux signals. SIGTERM/SIGINT stop the host — Akka.Hosting then runs the coordinated
/// shutdown (stop probes, drain, close backends). A second stop signal at least <see cref="SecondSignalGap"/> after the
/// first exits at once (130); copies that arrive together (GNU <c>timeout</c> signals the child and its process group)
/// count as one. SIGHUP asks for a reload.
/// </summary>
internal sealed class SignalLifetime(IHostApplicationLifetime lifetime, ReloadRequests reloads, ILoggerFactory loggerFactory, ServiceManagerNotice notice)
    : IHostLifetime, IDisposable
{
    public static readonly TimeSpan SecondSignalGap = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = loggerFactory.CreateLogger("Ingrain.Agent");
    private readonly List<PosixSignalRegistration> _registrations = [];
    private long _firstStop;

    /// <summary>When the first stop signal arrived (a <see cref="TimeProvider"/> timestamp), or 0.</summary>
    public long FirstStop => Interlocked.Read(ref _firstStop);

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStop));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStop));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            reloads.Request("SIGHUP");
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnStop(PosixSignalContext context)
    {
        context.Cancel = true; // we exit ourselves, after draining
        var now = TimeProvider.System.GetTimestamp();
        var first = Interlocked.CompareExchange(ref _firstStop, now, 0);
        if (first == 0)
        {
            _logger.LogInformation("{Signal} received: stopping probes, draining pipelines (again, a second later, to exit at once)", context.Signal);
            notice.Stopping();
            lifetime.StopApplication();
            return;
        }
        if (TimeProvider.System.GetElapsedTime(first, now) < SecondSignalGap) return; // the same stop, delivered twice
        // The user asked twice: leave now, without waiting for anything (not even the logger's queue).
        Console.Error.WriteLine($"{context.Signal} received again: exiting now without draining");
        ExitNow(130);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
