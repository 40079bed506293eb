using Akka.Actor;
using Ingrain.Actors.Edges;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Hosts one <see cref="IBackendWriter"/> (console, file, StatsD, HTTP, S3): writes every delivered batch, then
/// acknowledges it, so a slow or failing destination is felt upstream as backpressure. Flushes the writer on its
/// <c>flush-interval</c> and on <see cref="Drain"/>; closes it on <see cref="CloseWriter"/> (never in PostStop,
/// which must not block).
/// <para>The writer opens when the actor starts — so a reload into a backend that cannot open is rolled back — unless
/// the instances a reload retires still hold the destination (<see cref="PredecessorsClosed"/> not yet received): then
/// deliveries wait, unacknowledged. A writer that cannot open or whose write throws is reopened after the backend's
/// <c>restart</c> backoff and the batch retried: nothing is dropped while the pipeline's deadline has not passed; past
/// it, what could not be written is counted as dropped. A destination held by another instance
/// (<see cref="BackendInUseException"/>) is waited for as long as it is held.</para>
/// </summary>
internal sealed class BackendActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly BackendSpec _spec;
    private readonly BackendContext _context;
    private readonly CancellationToken _deadline;
    private readonly ComponentCounters _counters;
    private readonly ILogger _logger;
    private readonly RestartBackoff _backoff;
    private IBackendWriter? _writer;
    private BackendCounters? _retiredCounters; // the last closed writer's, carried into the next one
    private bool _reportedStart;
    private bool _closing;
    // A batch whose write failed: retried once the writer is reopened, acknowledged only then.
    private (MeasurementBatch Batch, IActorRef? Sender, long Seq)? _retry;

    public BackendActor(BackendSpec spec, BackendContext context, CancellationToken deadline, bool waitForPredecessors,
        ComponentCounters counters)
    {
        _spec = spec;
        _context = context;
        _deadline = deadline;
        _counters = counters;
        _logger = context.LoggerFactory.CreateLogger(spec.Path);
        _backoff = new RestartBackoff(spec.Restart, context.Time);
        _waiting = waitForPredecessors;
        if (waitForPredecessors) WaitingForPredecessors();
        else Opening();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(BackendSpec spec, BackendContext context, CancellationToken deadline, bool waitForPredecessors,
        ComponentCounters counters) =>
        Akka.Actor.Props.Create(() => new BackendActor(spec, context, deadline, waitForPredecessors, counters));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("flush", FlushTick.Instance, _spec.FlushInterval);
        // Open now, so a reload into a backend that cannot open is rolled back; a backend waiting for the instances
        // it replaces is ready as it is (its deliveries wait).
        if (_waiting) Started();
        else Self.Tell(Rebuild.Instance);
    }

    protected override void PostStop()
    {
        // Closed by CloseWriter in the normal path; here only when stopped without it (a crash of the system).
        if (_writer is { } writer) _ = writer.DisposeAsync().AsTask();
    }

    private bool _waiting;

    // Deliveries counted as received while the writer was not open yet (so the status shows them), in arrival order.
    private readonly Queue<MeasurementBatch> _counted = new();

    private void CountAndStash(MeasurementBatch batch)
    {
        _counters.AddReceived(batch.Count);
        _counted.Enqueue(batch);
        Stash.Stash();
    }

    private void WaitingForPredecessors()
    {
        Receive<PredecessorsClosed>(_ =>
        {
            _waiting = false;
            Become(Opening);
            Self.Tell(Rebuild.Instance);
        });
        ReceiveAsync<CloseWriter>(_ => CloseAsync());
        Receive<FlushTick>(_ => { });
        Receive<Deliver>(d => CountAndStash(d.Batch));
        Receive<MeasurementBatch>(CountAndStash);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Opening()
    {
        Receive<Rebuild>(_ => Open());
        ReceiveAsync<CloseWriter>(_ => CloseAsync());
        Receive<FlushTick>(_ => { });
        Receive<Deliver>(d => CountAndStash(d.Batch));
        Receive<MeasurementBatch>(CountAndStash);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Running()
    {
        ReceiveAsync<Deliver>(d => WriteAsync(d.Batch, Sender, d.Seq));
        ReceiveAsync<MeasurementBatch>(b => WriteAsync(b, null, 0));
        ReceiveAsync<FlushTick>(_ => FlushAsync());
        ReceiveAsync<Drain>(async drain =>
        {
            await FlushAsync();
            drain.ReplyTo.Tell(new Drained(drain.Pipeline));
        });
        ReceiveAsync<CloseWriter>(_ => CloseAsync());
    }

    private void Started()
    {
        if (_reportedStart) return;
        _reportedStart = true;
        Context.Parent.Tell(new ComponentStarted(_spec.Path));
    }

    private void Open()
    {
        try
        {
            _writer = _spec.Type.Create(_spec.Options, _context);
            if (_retiredCounters is { } earlier) _writer.Counters.AddFrom(earlier); // the status goes on across reopens
            _retiredCounters = null;
            _counters.AttachDetails(_writer.Counters); // the writer's sent/retried/dropped/spooled/failed reach the status
        }
        catch (Exception e)
        {
            if (_deadline.IsCancellationRequested)
            {
                _logger.LogWarning("{Component}: could not open the backend before the pipeline's deadline ({Reason})", _spec.Path, e.Message);
                GiveUpRetry();
                Become(Running);
                Stash.UnstashAll();
                return;
            }
            var delay = _backoff.Next();
            if (e is BackendInUseException) _logger.LogWarning("{Component}: the destination is in use ({Reason}); retrying in {Delay}", _spec.Path, e.Message, delay);
            else
            {
                _logger.LogWarning("{Component}: could not open the backend ({Reason}); retrying in {Delay}", _spec.Path, e.Message, delay);
                if (!_reportedStart) Context.Parent.Tell(new ComponentStartFailed(_spec.Path, e.Message));
            }
            Timers.StartSingleTimer("reopen", Rebuild.Instance, delay);
            return;
        }
        Started();
        Become(Running);
        if (_retry is { } retry)
        {
            _retry = null;
            // Retried before anything stashed, so order is kept.
            Stash.Prepend([new Envelope(retry.Sender is null ? retry.Batch : new Deliver(retry.Batch, retry.Seq), retry.Sender ?? ActorRefs.NoSender)]);
        }
        Stash.UnstashAll();
    }

    private async Task WriteAsync(MeasurementBatch batch, IActorRef? sender, long seq)
    {
        if (_writer is null) return;
        if (_counted.TryPeek(out var counted) && ReferenceEquals(counted, batch)) _counted.Dequeue();
        else _counters.AddReceived(batch.Count);
        try
        {
            await _writer.WriteAsync(batch.Items, _deadline);
            _counters.AddEmitted(batch.Count);
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested)
        {
            // Only a writer without a place to keep data (console, file) ends up here.
            _counters.AddDropped(batch.Count);
            _logger.LogWarning("{Component}: the pipeline's deadline passed before {Count} measurements were written; they are lost", _spec.Path, batch.Count);
        }
        catch (Exception e)
        {
            _counters.AddFailed(batch.Count);
            await FailAsync(e, (batch, sender, seq));
            return;
        }
        sender?.Tell(new Ack(seq));
    }

    private async Task FlushAsync()
    {
        if (_writer is null) return;
        try
        {
            await _writer.FlushAsync(_deadline);
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested)
        {
            _logger.LogWarning("{Component}: the pipeline's deadline cut the backend's flush short", _spec.Path);
        }
        catch (Exception e)
        {
            await FailAsync(e, null);
        }
    }

    /// <summary>Closes the failed writer and reopens it after the backoff; <paramref name="retry"/> is written then.</summary>
    private async Task FailAsync(Exception e, (MeasurementBatch, IActorRef?, long)? retry)
    {
        var delay = _backoff.Next();
        _logger.LogWarning("{Component}: the backend writer failed ({Reason}); reopening it in {Delay}", _spec.Path, e.Message, delay);
        await DisposeWriterAsync();
        _retry = retry;
        if (_deadline.IsCancellationRequested) GiveUpRetry();
        Become(Opening);
        Timers.StartSingleTimer("reopen", Rebuild.Instance, delay);
    }

    private void GiveUpRetry()
    {
        if (_retry is not { } retry) return;
        _retry = null;
        _counters.AddDropped(retry.Batch.Count);
        retry.Sender?.Tell(new Ack(retry.Seq));
    }

    private async Task CloseAsync()
    {
        if (!_closing)
        {
            _closing = true;
            GiveUpRetry();
            await DisposeWriterAsync();
        }
        Sender.Tell(WriterClosed.Instance);
    }

    private async Task DisposeWriterAsync()
    {
        var writer = _writer;
        _writer = null;
        if (writer is null) return;
        try
        {
            await writer.DisposeAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning("{Component}: closing the writer failed: {Reason}", _spec.Path, e.Message);
        }
        finally
        {
            _retiredCounters = writer.Counters;
        }
    }
}
