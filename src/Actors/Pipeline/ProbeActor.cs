using Ingrain.Actors.Topology;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Runs one probe and restarts it with backoff when it fails, as configured by its <c>restart</c> block (Akka's
/// BackoffSupervisor in on-failure mode, folded into the actor so the probe's ref — what reload and status see —
/// never changes). Starting happens in a message, not in PreStart, so a probe that cannot attach is retried
/// instead of being stopped for good by the initialization-failure rule. A probe whose run ends without error
/// (a finite source) stays idle. <see cref="StopProbe"/> detaches it and replies when done.
/// </summary>
internal sealed class ProbeActor : ReceiveActor
{
    private static readonly TimeSpan SinkLinger = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ProbeSpec _spec;
    private readonly ProbeContext _context;
    private readonly ComponentCounters _counters;
    private readonly ProbeSink _sink;
    private readonly Random _random = new();
    private IProbeRunner? _runner;
    private Task? _run;
    private CancellationTokenSource? _cancel;
    private int _generation;
    private int _failures;
    private long _startedAt;

    public ProbeActor(ProbeSpec spec, ProbeWiring wiring, ProbeContext context, ComponentCounters counters, int batchSize)
    {
        _spec = spec;
        _context = context;
        _counters = counters;
        _sink = new ProbeSink(wiring, counters, batchSize, Self);
        Receive<StartProbe>(_ => Start());
        Receive<ProbeEnded>(e => e.Generation == _generation, Ended);
        Receive<ProbeEnded>(_ => { }); // from an incarnation already replaced
        Receive<FlushTick>(_ => _sink.Flush());
        ReceiveAsync<StopProbe>(async _ =>
        {
            Timers.CancelAll();
            await DetachAsync();
            _sink.Flush();
            Sender.Tell(ProbeStopped.Instance, Self);
            Context.Stop(Self);
        });
    }

    public static Props Props(ProbeSpec spec, ProbeWiring wiring, ProbeContext context, ComponentCounters counters, int batchSize = 256) =>
        Ingrain.Actors.Props.Create(() => new ProbeActor(spec, wiring, context, counters, batchSize));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sink", FlushTick.Instance, SinkLinger);
        Self.Tell(StartProbe.Instance, Self);
    }

    protected override void PostStop()
    {
        _cancel?.Cancel();
        if (_runner is not null && !_runner.DisposeAsync().AsTask().Wait(StopTimeout))
            Log.LogWarning("probe {Probe}: did not detach within {Timeout}", _spec.Name, StopTimeout);
    }

    private void Start()
    {
        _generation++;
        var generation = _generation;
        try
        {
            _runner = _spec.Type.Start(_spec.Options, _context);
            _cancel = new CancellationTokenSource();
            _startedAt = Context.System.TimeProvider.GetTimestamp();
            _run = _runner.RunAsync(_sink, _cancel.Token);
            var self = Self;
            _run.ContinueWith(t => self.Tell(new ProbeEnded(generation, t.IsFaulted ? t.Exception!.GetBaseException() : null), self),
                TaskScheduler.Default);
            Log.LogInformation("probe {Probe} ({Type}) started", _spec.Name, _spec.Type.Name);
        }
        catch (Exception e)
        {
            Failed(e);
        }
    }

    private void Ended(ProbeEnded ended)
    {
        if (ended.Error is null)
        {
            Log.LogInformation("probe {Probe} finished", _spec.Name);
            return;
        }
        if (Context.System.TimeProvider.GetElapsedTime(_startedAt) >= _spec.Restart.ResetAfter) _failures = 0;
        Failed(ended.Error);
    }

    private void Failed(Exception error)
    {
        _counters.AddFailed();
        _ = DisposeRunnerAsync(_runner, _cancel);
        _runner = null;
        _cancel = null;
        var restart = _spec.Restart;
        if (restart.MaxRetries >= 0 && _failures >= restart.MaxRetries)
        {
            Log.LogError(error, "probe {Probe} failed {Count} time(s) in a row; not restarting it (restart.max-retries)", _spec.Name, _failures + 1);
            return;
        }
        var delay = Backoff.Delay(_failures, restart.MinBackoff, restart.MaxBackoff, restart.RandomFactor, _random);
        _failures++;
        Log.LogWarning("probe {Probe} failed: {Reason}; restarting in {Delay}", _spec.Name, error.Message, delay);
        Timers.StartSingleTimer("restart", StartProbe.Instance, delay);
    }

    private async Task DetachAsync()
    {
        var run = _run;
        _generation++;
        _cancel?.Cancel();
        if (run is not null) await Task.WhenAny(run, Task.Delay(StopTimeout));
        await DisposeRunnerAsync(_runner, _cancel);
        _runner = null;
        _cancel = null;
    }

    private async Task DisposeRunnerAsync(IProbeRunner? runner, CancellationTokenSource? cancel)
    {
        cancel?.Cancel();
        try
        {
            if (runner is not null) await runner.DisposeAsync();
        }
        catch (Exception e)
        {
            Log.LogWarning(e, "probe {Probe}: detaching failed", _spec.Name);
        }
        finally
        {
            cancel?.Dispose();
        }
    }

    private sealed record StartProbe
    {
        public static readonly StartProbe Instance = new();
    }

    private sealed record ProbeEnded(int Generation, Exception? Error);
}

/// <summary>Asks a probe actor to detach and stop; it replies <see cref="ProbeStopped"/> when its probe is detached.</summary>
public sealed record StopProbe
{
    public static readonly StopProbe Instance = new();
}

/// <summary>The reply to <see cref="StopProbe"/>.</summary>
public sealed record ProbeStopped
{
    public static readonly ProbeStopped Instance = new();
}
