using Ingrain.Actors.Backends;
using Microsoft.Extensions.Logging;
using Ingrain.Actors.Metrics;
using Ingrain.Actors.Topology;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Hosts one <see cref="IBackendWriter"/> (console, file, StatsD, HTTP, S3): writes every batch, flushes the writer
/// on its interval and on <see cref="Drain"/>. A writer that throws fails the actor; its supervisor restarts it with a
/// new writer while the queued batches wait in the mailbox. The batch that failed is counted in <c>failed</c>.
/// </summary>
internal sealed class BackendActor : ReceiveActor
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);

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
        _writer = _spec.Type.Create(_spec.Options, _context);
        Timers.StartPeriodicTimer("flush", FlushTick.Instance, _spec.FlushInterval);
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
            await _writer!.WriteAsync(batch.Items, CancellationToken.None);
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
            await _writer!.FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            throw new BackendFailedException(_spec.Path, e);
        }
    }
}
