using Akka.Actor;
using Ingrain.Actors.Edges;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Hosts one <see cref="IPipelineStep"/>: feeds it each measurement of every delivered batch and sends what it emits
/// on to the next component as one batch, through the edge's <see cref="Outbox"/>. A batch is acknowledged to its
/// sender once its output is queued on an edge with room, so backpressure travels upstream batch by batch.
/// <para>A measurement whose processing throws is counted as failed and the rest of the batch still goes through;
/// then the step is rebuilt in place after the step's <c>restart</c> backoff (what it held back is flushed first).
/// While it waits, deliveries are stashed, not acknowledged: upstream feels backpressure and nothing is lost. The
/// actor itself never fails, so its mailbox and its outbox survive every step failure.</para>
/// </summary>
internal sealed class StepActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly StepSpec _spec;
    private readonly ComponentCounters _counters;
    private readonly ILogger _logger;
    private readonly Outbox _next;
    private readonly BatchingOutput _output = new();
    private readonly Queue<(IActorRef Sender, long Seq)> _deferredAcks = new();
    private readonly RestartBackoff _backoff;
    private readonly TimeProvider _time;
    private IPipelineStep? _step;
    private bool _reportedStart;

    public StepActor(StepSpec spec, Edge next, ComponentCounters counters, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _spec = spec;
        _counters = counters;
        _logger = loggerFactory.CreateLogger(spec.Path);
        _next = new Outbox(next, Self);
        _backoff = new RestartBackoff(spec.Restart, time);
        _time = time;
        Rebuilding();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(StepSpec spec, Edge next, ComponentCounters counters, ILoggerFactory loggerFactory, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new StepActor(spec, next, counters, loggerFactory, time));

    protected override void PreStart() => Build();

    protected override void PostStop()
    {
        // Not awaited: PostStop must not block. A step with resources (exec's children) releases them on its own.
        if (_step is IAsyncDisposable disposable) _ = disposable.DisposeAsync().AsTask();
    }

    private void Running()
    {
        Receive<Deliver>(d => Handle(d.Batch, Sender, d.Seq));
        Receive<MeasurementBatch>(b => Handle(b, null, 0));
        Receive<Ack>(a => OnAck(a));
        Receive<FlushTick>(_ => Flush());
        Receive<Drain>(drain =>
        {
            Flush();
            _next.SendControl(drain);
        });
    }

    private void Rebuilding()
    {
        Receive<Rebuild>(_ => Build());
        Receive<Ack>(a => OnAck(a));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Build()
    {
        try
        {
            _step = _spec.Create(new StepContext(_logger, _time, _counters));
        }
        catch (Exception e)
        {
            var delay = _backoff.Next();
            _logger.LogWarning("{Component}: could not build the step ({Reason}); retrying in {Delay}", _spec.Path, e.Message, delay);
            Context.Parent.Tell(new ComponentStartFailed(_spec.Path, e.Message));
            Timers.StartSingleTimer("rebuild", Rebuild.Instance, delay);
            return;
        }
        if (!_reportedStart)
        {
            _reportedStart = true;
            Context.Parent.Tell(new ComponentStarted(_spec.Path));
        }
        if (_step.FlushInterval is { } interval) Timers.StartPeriodicTimer("flush", FlushTick.Instance, interval);
        Become(Running);
        Stash.UnstashAll();
    }

    private void Handle(MeasurementBatch batch, IActorRef? sender, long seq)
    {
        _counters.AddReceived(batch.Count);
        Exception? first = null;
        var failures = 0;
        foreach (var m in Span(batch.Items))
        {
            try
            {
                _step!.Process(m, _output);
            }
            catch (Exception e)
            {
                failures++;
                first ??= e;
            }
        }
        SendOutput();
        if (sender is not null)
        {
            if (_next.AcceptsMore) sender.Tell(new Ack(seq));
            else _deferredAcks.Enqueue((sender, seq));
        }
        if (first is not null)
        {
            _counters.AddFailed(failures);
            Fail($"{failures} measurement(s) failed in a batch (first: {first.Message})");
        }
    }

    private void Flush()
    {
        try
        {
            _step!.Flush(_output);
        }
        catch (Exception e)
        {
            SendOutput();
            Fail($"flush failed ({e.Message})");
            return;
        }
        SendOutput();
    }

    /// <summary>Rebuilds the step after the backoff; what the old one held back is flushed on first.</summary>
    private void Fail(string reason)
    {
        var delay = _backoff.Next();
        _logger.LogWarning("{Component}: {Reason}; rebuilding the step in {Delay}", _spec.Path, reason, delay);
        try
        {
            _step!.Flush(_output);
            SendOutput();
        }
        catch (Exception e)
        {
            _logger.LogWarning("{Component}: flushing before the rebuild failed ({Reason}); its held-back measurements are lost", _spec.Path, e.Message);
        }
        if (_step is IAsyncDisposable disposable) _ = disposable.DisposeAsync().AsTask();
        _step = null;
        Timers.Cancel("flush");
        Timers.StartSingleTimer("rebuild", Rebuild.Instance, delay);
        Become(Rebuilding);
    }

    private void OnAck(Ack ack)
    {
        _next.OnAck(ack.Seq);
        while (_next.AcceptsMore && _deferredAcks.TryDequeue(out var deferred)) deferred.Sender.Tell(new Ack(deferred.Seq));
    }

    private void SendOutput()
    {
        if (_output.Take() is not { } batch) return;
        _counters.AddEmitted(batch.Count);
        _next.Send(batch);
    }

    // Batches are arrays or lists; iterate them as spans rather than through the interface enumerator.
    private static ReadOnlySpan<Measurement> Span(IReadOnlyList<Measurement> items) => items switch
    {
        Measurement[] array => array,
        List<Measurement> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => items.ToArray(),
    };
}
