using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Hosts one <see cref="IPipelineStep"/>: feeds it each measurement of every incoming batch and sends what it emits
/// to <c>next</c> as one batch (awaiting space when <c>next</c> applies backpressure). A measurement whose processing
/// throws is counted as failed and the rest of the batch still goes through; then the actor throws, so its
/// supervisor restarts it with a fresh step. Queued batches stay in the mailbox across the restart, and
/// <see cref="PreRestart"/> flushes what the old step held back, so a restart loses nothing but the failed ones.
/// </summary>
internal sealed class StepActor : ReceiveActor
{
    private readonly string _component;
    private readonly IActorRef _next;
    private readonly ComponentCounters _counters;
    private readonly IPipelineStep _step;
    private readonly BatchingOutput _output = new();

    public StepActor(StepSpec spec, IActorRef next, ComponentCounters counters)
    {
        _component = spec.Path;
        _next = next;
        _counters = counters;
        _step = spec.Create(new StepContext(Log, Context.System.TimeProvider, counters));
        ReceiveAsync<MeasurementBatch>(HandleAsync);
        ReceiveAsync<FlushTick>(_ => FlushAsync());
        ReceiveAsync<Drain>(async drain =>
        {
            try
            {
                _step.Flush(_output);
            }
            finally
            {
                // Even when the flush throws (and this actor restarts) the drain goes on: a restart does not
                // re-process the failing message, and a lost Drain would stall shutdown until its deadline.
                await SendAsync();
                await Mailboxes.SendControlAsync(_next, drain, Self);
            }
        });
    }

    public static Props Props(StepSpec spec, IActorRef next, ComponentCounters counters) =>
        Ingrain.Actors.Props.Create(() => new StepActor(spec, next, counters))
            .WithMailbox(Mailboxes.For(spec.Mailbox));

    protected override void PreStart()
    {
        if (_step.FlushInterval is { } interval) Timers.StartPeriodicTimer("flush", FlushTick.Instance, interval);
        Context.Parent.Tell(ComponentStarted.Instance, Self);
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        try
        {
            _step.Flush(_output);
            if (_output.Take() is { } batch)
            {
                _counters.AddEmitted(batch.Count);
                // Not Tell: it would block this pool thread while next is full. A waiting send keeps its place in
                // next's queue of waiting senders, so what the new incarnation sends later still comes after it.
                var sent = _next.TellAsync(batch, Self);
                if (!sent.IsCompleted) _ = sent.AsTask();
            }
        }
        catch (Exception e)
        {
            Log.LogWarning(e, "{Component}: flushing before restart failed; its held-back measurements are lost", _component);
        }
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        if (_step is IAsyncDisposable disposable) _ = disposable.DisposeAsync().AsTask();
    }

    private async Task HandleAsync(MeasurementBatch batch)
    {
        _counters.AddReceived(batch.Count);
        Exception? first = null;
        var failures = 0;
        foreach (var m in Span(batch.Items))
        {
            try
            {
                _step.Process(m, _output);
            }
            catch (Exception e)
            {
                failures++;
                first ??= e;
            }
        }
        await SendAsync();
        if (first is not null)
        {
            _counters.AddFailed(failures);
            throw new StepFailedException(_component, failures, first);
        }
    }

    // Batches are arrays or lists; iterate them as spans rather than through the interface enumerator.
    private static ReadOnlySpan<Measurement> Span(IReadOnlyList<Measurement> items) => items switch
    {
        Measurement[] array => array,
        List<Measurement> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => items.ToArray(),
    };

    private async Task FlushAsync()
    {
        _step.Flush(_output);
        await SendAsync();
    }

    private async Task SendAsync()
    {
        if (_output.Take() is not { } batch) return;
        _counters.AddEmitted(batch.Count);
        await _next.TellAsync(batch, Self);
    }
}
