using Ingrain.Actors.Metrics;
using Ingrain.Actors.Topology;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Batches what a probe emits and sends each batch to every pipeline the probe feeds (one immutable batch shared by
/// all). Called from the probe's reader thread; the probe actor's timer calls <see cref="Flush"/> so a quiet probe's
/// last measurements don't wait for a full batch. Sending blocks while a pipeline's head is full (backpressure): the
/// probe then reads more slowly and the kernel counts what it could not queue.
/// </summary>
internal sealed class ProbeSink(ProbeWiring wiring, ComponentCounters counters, int batchSize, IActorRef sender) : IProbeSink
{
    private readonly Lock _lock = new();
    private List<Measurement> _pending = new(batchSize);

    public void Emit(Measurement measurement)
    {
        List<Measurement>? full = null;
        lock (_lock)
        {
            _pending.Add(measurement);
            if (_pending.Count >= batchSize) full = TakeLocked();
        }
        if (full is not null) Send(full);
    }

    public void Emit(IReadOnlyList<Measurement> measurements)
    {
        List<Measurement>? full = null;
        lock (_lock)
        {
            _pending.AddRange(measurements);
            if (_pending.Count >= batchSize) full = TakeLocked();
        }
        if (full is not null) Send(full);
    }

    public void Flush()
    {
        List<Measurement>? pending;
        lock (_lock)
        {
            pending = _pending.Count == 0 ? null : TakeLocked();
        }
        if (pending is not null) Send(pending);
    }

    private List<Measurement> TakeLocked()
    {
        var taken = _pending;
        _pending = new List<Measurement>(batchSize);
        return taken;
    }

    private void Send(List<Measurement> items)
    {
        counters.AddReceived(items.Count);
        var batch = new MeasurementBatch(items);
        // The lease keeps a reload from draining a replaced head until this loop is past it (see ProbeWiring).
        using (var lease = wiring.Acquire())
        {
            foreach (var target in lease.Targets) target.Tell(batch, sender);
        }
        counters.AddEmitted(items.Count);
    }
}
