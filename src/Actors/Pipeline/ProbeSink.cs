
namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Batches what a probe emits and sends each batch to every pipeline the probe feeds (one immutable batch shared by
/// all). Called from the probe's reader thread; the probe actor's timer calls <see cref="FlushAsync"/> so a quiet
/// probe's last measurements don't wait for a full batch. Sending blocks while a pipeline's head is full
/// (backpressure): the probe then reads more slowly and the kernel counts what it could not queue.
/// <para>Two threads send (the reader and the actor's timer), so taking a batch and sending it happen under one
/// send gate: batches reach each pipeline in the order they were taken, as the pipelines' FIFO-per-sender rule
/// (and a drain) assumes. The reader's hot path (<see cref="Emit(Measurement)"/> below a full batch) only takes
/// the short buffer lock.</para>
/// </summary>
internal sealed class ProbeSink(ProbeWiring wiring, ProbeCounters counters, int batchSize, IActorRef sender) : IProbeSink
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private List<Measurement> _pending = new(batchSize);

    public void Emit(Measurement measurement)
    {
        bool full;
        lock (_lock)
        {
            _pending.Add(measurement);
            full = _pending.Count >= batchSize;
        }
        if (full) Flush();
    }

    public void Emit(IReadOnlyList<Measurement> measurements)
    {
        bool full;
        lock (_lock)
        {
            _pending.AddRange(measurements);
            full = _pending.Count >= batchSize;
        }
        if (full) Flush();
    }

    /// <summary>Sends what is pending, blocking while a head is full (the reader thread, or a stopping actor).</summary>
    public void Flush()
    {
        _sendGate.Wait();
        try
        {
            if (Take() is not { } items) return;
            var batch = Count(items);
            using (var lease = wiring.Acquire())
            {
                // The lease keeps a reload from draining a replaced head until this loop is past it (see ProbeWiring).
                foreach (var target in lease.Targets) target.Tell(batch, sender);
            }
            counters.AddEmitted(items.Count);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// Flush from the actor: awaits space instead of blocking a pool thread. With <paramref name="skipIfSending"/>
    /// (the timer) it does nothing while the reader is sending — the reader is active and the next tick comes soon.
    /// </summary>
    public async Task FlushAsync(bool skipIfSending)
    {
        if (skipIfSending)
        {
            if (!_sendGate.Wait(0)) return;
        }
        else await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Take() is not { } items) return;
            var batch = Count(items);
            using (var lease = wiring.Acquire())
            {
                foreach (var target in lease.Targets) await target.TellAsync(batch, sender).ConfigureAwait(false);
            }
            counters.AddEmitted(items.Count);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private List<Measurement>? Take()
    {
        lock (_lock)
        {
            if (_pending.Count == 0) return null;
            var taken = _pending;
            _pending = new List<Measurement>(batchSize);
            return taken;
        }
    }

    private static MeasurementBatch Count(List<Measurement> items) => new(items);
}
