using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Hosts one <see cref="IBackendWriter"/> (console, file, StatsD, HTTP, S3): writes every batch, flushes the writer
/// on its interval and on <see cref="Drain"/>. A writer that throws fails the actor; its supervisor restarts it with a
/// new writer while the queued batches wait in the mailbox. The batch that failed is counted in <c>failed</c>.
/// <para>Every writer call gets the pipeline's deadline (<see cref="BackendLifetime.Deadline"/>): at a shutdown or a
/// reload's drain a writer stops sending in time and keeps the rest (S3 spools it). Interval flushes are also cut
/// after <see cref="MaxIntervalFlush"/>, so a hung writer cannot hold the backend forever.</para>
/// <para>The writer is created on first use (a batch or a flush), not in PreStart, and only once the instances a reload retires have
/// closed theirs (<see cref="BackendLifetime.Predecessors"/>). A writer that cannot be created (a file that can't be
/// opened) is retried with backoff while the message waits — the backend then behaves like a slow one (backpressure
/// upstream) instead of being stopped for good by the initialization-failure rule; after <see cref="OpenAttempts"/>
/// attempts the batch is counted as failed and the actor restarts. A destination held by another instance
/// (<see cref="BackendInUseException"/>) is waited for as long as it is held, never given up on.</para>
/// </summary>
internal sealed class BackendActor : ReceiveActor
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxIntervalFlush = TimeSpan.FromMinutes(5);
    private const int OpenAttempts = 5;
    private static readonly TimeSpan FirstOpenRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxInUseRetry = TimeSpan.FromSeconds(5);

    private readonly BackendSpec _spec;
    private readonly BackendContext _context;
    private readonly BackendLifetime _lifetime;
    private readonly ComponentCounters _counters;
    private IBackendWriter? _writer;

    public BackendActor(BackendSpec spec, BackendContext context, BackendLifetime lifetime, ComponentCounters counters)
    {
        _spec = spec;
        _context = context;
        _lifetime = lifetime;
        _counters = counters;
        ReceiveAsync<MeasurementBatch>(WriteAsync);
        ReceiveAsync<FlushTick>(_ => IntervalFlushAsync());
        ReceiveAsync<Drain>(async drain =>
        {
            try
            {
                await FlushAsync(_lifetime.Deadline);
            }
            finally
            {
                // A flush that throws restarts this actor (the failure is logged and counted), but the drain has
                // reached the end of the pipeline: complete it, or shutdown would wait for it until its deadline.
                drain.Done.TrySetResult();
            }
        });
    }

    public static Props Props(BackendSpec spec, BackendContext context, BackendLifetime lifetime, ComponentCounters counters) =>
        Ingrain.Actors.Props.Create(() => new BackendActor(spec, context, lifetime, counters))
            .WithMailbox(Mailboxes.For(spec.Mailbox));

    private CancellationToken Deadline => _lifetime.Deadline;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("flush", FlushTick.Instance, _spec.FlushInterval);
        Context.Parent.Tell(ComponentStarted.Instance, Self);
    }

    private async Task<IBackendWriter> WriterAsync()
    {
        if (_writer is not null) return _writer;
        if (!_lifetime.Predecessors.IsCompleted)
        {
            Log.LogInformation("{Component}: waiting for the instance this reload replaces to close before opening the backend", _spec.Path);
            await _lifetime.Predecessors.WaitAsync(Deadline);
        }
        var delay = FirstOpenRetry;
        for (var failures = 1; ; failures++)
        {
            try
            {
                _writer = _spec.Type.Create(_spec.Options, _context);
                _counters.AttachDetails(_writer.Counters); // the writer's sent/retried/dropped/spooled/failed reach the status
                return _writer;
            }
            catch (BackendInUseException e)
            {
                failures = 0; // not a failure of ours: wait for the holder, however long it takes
                Log.LogWarning("{Component}: the destination is in use ({Reason}); retrying in {Delay}", _spec.Path, e.Message, delay);
            }
            catch (Exception e) when (failures < OpenAttempts)
            {
                Log.LogWarning("{Component}: could not open the backend ({Reason}); retrying in {Delay}", _spec.Path, e.Message, delay);
            }
            await Task.Delay(delay, Context.System.TimeProvider, Deadline);
            delay = failures == 0 ? TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxInUseRetry.Ticks)) : delay * 2;
        }
    }

    protected override void PostStop()
    {
        if (_writer is null) return;
        try
        {
            // PostStop is synchronous; a writer's final flush must still complete before the actor is gone.
            if (!_writer.DisposeAsync().AsTask().Wait(DisposeTimeout))
                Log.LogWarning("{Component}: writer did not close within {Timeout}", _spec.Path, DisposeTimeout);
        }
        catch (Exception e)
        {
            Log.LogWarning(e, "{Component}: closing the writer failed", _spec.Path);
        }
    }

    private async Task WriteAsync(MeasurementBatch batch)
    {
        _counters.AddReceived(batch.Count);
        try
        {
            var writer = await WriterAsync();
            await writer.WriteAsync(batch.Items, Deadline);
            _counters.AddEmitted(batch.Count);
        }
        catch (OperationCanceledException) when (Deadline.IsCancellationRequested)
        {
            // Only a writer without a place to keep data (console, file) or one never opened ends up here.
            _counters.AddDropped(batch.Count);
            Log.LogWarning("{Component}: the pipeline's deadline passed before {Count} measurements were written; they are lost",
                _spec.Path, batch.Count);
        }
        catch (Exception e)
        {
            _counters.AddFailed(batch.Count);
            throw new BackendFailedException(_spec.Path, e);
        }
    }

    private async Task IntervalFlushAsync()
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Deadline);
        bounded.CancelAfter(MaxIntervalFlush);
        await FlushAsync(bounded.Token);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A flush opens the writer too: an S3 spool left by an earlier run is uploaded even if no new data comes.
            var writer = await WriterAsync();
            await writer.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (Deadline.IsCancellationRequested)
        {
            Log.LogWarning("{Component}: the pipeline's deadline cut the backend's flush short", _spec.Path);
        }
        catch (Exception e)
        {
            throw new BackendFailedException(_spec.Path, e);
        }
    }
}
