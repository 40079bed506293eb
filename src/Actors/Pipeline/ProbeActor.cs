using Ingrain.Actors.Pattern;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Runs one probe: attaches it in <see cref="PreStart"/> and reads it on the probe's own task until stopped. Meant to
/// live under a <see cref="BackoffSupervisor"/> in on-failure mode (<see cref="SupervisedProps"/>), configured by the
/// probe's <c>restart</c> block: a probe that cannot attach, or whose read loop throws, fails this actor, and the
/// supervisor starts a fresh one after the backoff delay. A read loop that ends without error (a finite source)
/// leaves the actor idle. <see cref="StopProbe"/> detaches and replies <see cref="ProbeStopped"/>.
/// </summary>
internal sealed class ProbeActor : ReceiveActor
{
    private static readonly TimeSpan SinkLinger = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(10);

    private readonly ProbeSpec _spec;
    private readonly ProbeContext _context;
    private readonly ProbeCounters _counters;
    private readonly ProbeSink _sink;
    private readonly CancellationTokenSource _cancel = new();
    private IProbe? _runner;
    private Task? _run;

    public ProbeActor(ProbeSpec spec, ProbeWiring wiring, ProbeContext context, ProbeCounters counters, int batchSize)
    {
        _spec = spec;
        _context = context;
        _counters = counters;
        _sink = new ProbeSink(wiring, counters, batchSize, Self);
        Receive<ProbeEnded>(Ended);
        ReceiveAsync<FlushTick>(_ => _sink.FlushAsync(skipIfSending: true));
        ReceiveAsync<StopProbe>(async stop =>
        {
            Timers.CancelAll();
            await DetachAsync(stop.Deadline);
            Sender.Tell(ProbeStopped.Instance, Self);
            Context.Stop(Self);
        });
    }

    /// <summary>The probe actor under its backoff supervisor; the supervisor's ref is the probe's stable address.</summary>
    public static Props SupervisedProps(ProbeSpec spec, ProbeWiring wiring, ProbeContext context, ProbeCounters counters, int batchSize = 256)
    {
        var child = Props.Create(() => new ProbeActor(spec, wiring, context, counters, batchSize));
        var r = spec.Restart;
        var options = BackoffOptions.OnFailure(child, "probe", r.MinBackoff, r.MaxBackoff, r.RandomFactor, r.MaxRetries)
            .WithReplyWhileStopped(ProbeStopped.Instance);
        if (r.ResetAfter > TimeSpan.Zero) options = options.WithAutoReset(r.ResetAfter);
        return BackoffSupervisor.Props(options);
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sink", FlushTick.Instance, SinkLinger);
        try
        {
            _runner = _spec.Type.Create(_spec.Options, _context);
        }
        catch (Exception e)
        {
            _counters.AddRestart();
            Log.LogWarning("probe {Probe} ({Type}) could not start: {Reason}; retrying with backoff", _spec.Name, _spec.Type.Name, e.Message);
            throw;
        }
        _run = _runner.RunAsync(_sink, _cancel.Token);
        var self = Self;
        _run.ContinueWith(t => self.Tell(new ProbeEnded(t.IsFaulted ? t.Exception!.GetBaseException() : null), self), TaskScheduler.Default);
        Log.LogInformation("probe {Probe} ({Type}) started", _spec.Name, _spec.Type.Name);
    }

    protected override void PostStop()
    {
        // After StopProbe there is nothing left to wait for here. Otherwise (a failure, or a stop whose deadline passed
        // first) the read loop is waited for synchronously — PostStop cannot await — and bounded: the actor terminates
        // only once its probe no longer emits, and a shutdown drains only after that.
        if (!DetachAsync(CancellationToken.None).Wait(DetachTimeout * 2))
            Log.LogWarning("probe {Probe}: did not detach within {Timeout}", _spec.Name, DetachTimeout);
        _cancel.Dispose();
    }

    private void Ended(ProbeEnded ended)
    {
        if (_cancel.IsCancellationRequested) return;
        if (ended.Error is null)
        {
            Log.LogInformation("probe {Probe} finished", _spec.Name);
            return;
        }
        _counters.AddRestart();
        throw new ProbeFailedException(_spec.Name, ended.Error);
    }

    /// <summary>
    /// Cancels the read loop, waits for it (at most <see cref="DetachTimeout"/>), and disposes the probe. When
    /// <paramref name="deadline"/> is cancelled first it returns with the loop still running, for PostStop to finish.
    /// Safe to call twice.
    /// </summary>
    private async Task DetachAsync(CancellationToken deadline)
    {
        if (!_cancel.IsCancellationRequested) _cancel.Cancel();
        if (_run is { } run)
        {
            await Task.WhenAny(run, Task.Delay(DetachTimeout, deadline)).ConfigureAwait(false);
            if (!run.IsCompleted && deadline.IsCancellationRequested) return;
        }
        _run = null;
        var runner = Interlocked.Exchange(ref _runner, null);
        try
        {
            if (runner is not null) await runner.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.LogWarning(e, "probe {Probe}: detaching failed", _spec.Name);
        }
        await _sink.FlushAsync(skipIfSending: false).ConfigureAwait(false);
    }

    private sealed record ProbeEnded(Exception? Error);
}

/// <summary>A probe's read loop failed; its actor fails so the backoff supervisor restarts it.</summary>
public sealed class ProbeFailedException(string probe, Exception inner)
    : Exception($"probe \"{probe}\" failed: {inner.Message}", inner);

/// <summary>
/// Asks a probe actor to detach and stop; it replies <see cref="ProbeStopped"/> when its probe is detached, or when
/// <paramref name="Deadline"/> is cancelled (it then finishes detaching as it stops).
/// </summary>
public sealed record StopProbe(CancellationToken Deadline)
{
    public static readonly StopProbe Instance = new(CancellationToken.None);
}

/// <summary>The reply to <see cref="StopProbe"/>.</summary>
public sealed record ProbeStopped
{
    public static readonly ProbeStopped Instance = new();
}
