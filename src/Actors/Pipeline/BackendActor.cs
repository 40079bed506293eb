using Ingrain.Actors.Backends;
using Microsoft.Extensions.Logging;
using Ingrain.Actors.Metrics;
using Ingrain.Actors.Topology;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Hosts one <see cref="IBackendWriter"/> (console, file, StatsD, HTTP, S3): writes every batch, flushes the writer
/// on its interval and on <see cref="Drain"/>. A writer that throws fails the actor; its supervisor restarts it with a
/// new writer while the queued batches wait in the mailbox. The batch that failed is counted in <c>failed</c>.
/// The writer is created on first use, not in PreStart: a writer that cannot be created (a file that can't be
/// opened) is retried with backoff while the message waits — the backend then behaves like a slow one
/// (backpressure upstream) instead of being stopped for good by the initialization-failure rule; after
/// <see cref="OpenAttempts"/> attempts the batch is counted as failed and the actor restarts.
/// </summary>
internal sealed class BackendActor : ReceiveActor
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);
    private const int OpenAttempts = 5;
    private static readonly TimeSpan FirstOpenRetry = TimeSpan.FromMilliseconds(250);

    private readonly BackendSpec _spec;
    private readonly BackendContext _context;
    private readonly ComponentCounters _counters;
    private IBackendWriter? _writer;

    public BackendActor(BackendSpec spec, BackendContext context, ComponentCounters counters)
    {
        _spec = spec;
        _context = context;
        _counters = counters;
        ReceiveAsync<MeasurementBatch>(WriteAsync);
        ReceiveAsync<FlushTick>(_ => FlushAsync());
        ReceiveAsync<Drain>(async drain =>
        {
            await FlushAsync();
            drain.Done.TrySetResult();
        });
    }

    public static Props Props(BackendSpec spec, BackendContext context, ComponentCounters counters) =>
        Ingrain.Actors.Props.Create(() => new BackendActor(spec, context, counters))
            .WithMailbox(Mailboxes.For(spec.Mailbox));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("flush", FlushTick.Instance, _spec.FlushInterval);
        Context.Parent.Tell(ComponentStarted.Instance, Self);
    }

    private async Task<IBackendWriter> WriterAsync()
    {
        if (_writer is not null) return _writer;
        var delay = FirstOpenRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return _writer = _spec.Type.Create(_spec.Options, _context);
            }
            catch (Exception e) when (attempt < OpenAttempts)
            {
                Log.LogWarning("{Component}: could not open the backend ({Reason}); retrying in {Delay}", _spec.Path, e.Message, delay);
                await Task.Delay(delay, Context.System.TimeProvider);
                delay *= 2;
            }
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
            await writer.WriteAsync(batch.Items, CancellationToken.None);
            _counters.AddEmitted(batch.Count);
        }
        catch (Exception e)
        {
            _counters.AddFailed(batch.Count);
            throw new BackendFailedException(_spec.Path, e);
        }
    }

    private async Task FlushAsync()
    {
        try
        {
            if (_writer is not null) await _writer.FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            throw new BackendFailedException(_spec.Path, e);
        }
    }
}
