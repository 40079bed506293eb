using Akka.Actor;

namespace Ingrain.Actors.Edges;

/// <summary>
/// The sending end of one edge, owned by one actor (not thread-safe). At most <c>capacity</c> batches are in flight
/// (sent, not acknowledged); more wait here. With <c>backpressure</c> nothing is dropped: the owner asks
/// <see cref="HasRoom"/> before taking more work (it stops acknowledging its own senders, or stops reading its probe),
/// so the queue stays bounded by what its senders may have in flight. With <c>drop-incoming</c> / <c>drop-oldest</c>
/// the queue holds at most <c>capacity</c> more, and what does not fit is dropped and counted.
/// Control messages (<see cref="Drain"/>) keep their place in the order but take no window.
/// </summary>
internal sealed class Outbox(Edge edge, IActorRef self)
{
    private readonly Queue<object> _waiting = new();
    private readonly HashSet<long> _inFlight = [];
    private long _seq;

    public IActorRef Target => edge.Target;

    private int Capacity => edge.Policy.Capacity;

    /// <summary>True while the owner may hand this edge another batch without exceeding its window.</summary>
    public bool HasRoom => _inFlight.Count + _waiting.Count < Capacity;

    /// <summary>
    /// True while the owner may take more work for this edge: always with a drop policy (what does not fit is dropped
    /// and counted), only while there is room with backpressure.
    /// </summary>
    public bool AcceptsMore => HasRoom || edge.Policy.Overflow != EdgeOverflow.Backpressure;

    /// <summary>Nothing in flight and nothing waiting.</summary>
    public bool IsEmpty => _inFlight.Count == 0 && _waiting.Count == 0;

    public int Pending => _inFlight.Count + _waiting.Count;

    public void Send(MeasurementBatch batch)
    {
        if (!HasRoom && edge.Policy.Overflow != EdgeOverflow.Backpressure && _waiting.Count >= Capacity)
        {
            if (edge.Policy.Overflow == EdgeOverflow.DropIncoming || !DropOldest())
            {
                edge.Counters.AddDropped();
                return;
            }
        }
        _waiting.Enqueue(batch);
        edge.Counters.AddQueued(1);
        Pump();
    }

    public void SendControl(object message)
    {
        _waiting.Enqueue(message);
        Pump();
    }

    /// <summary>An acknowledgement from <see cref="Target"/>; returns false when it was not for this edge's batches.</summary>
    public bool OnAck(long seq)
    {
        if (!_inFlight.Remove(seq)) return false;
        edge.Counters.AddQueued(-1);
        Pump();
        return true;
    }

    /// <summary>Forgets what is in flight and waiting (the owner is going away); returns how many batches that was.</summary>
    public int Abandon()
    {
        var batches = _inFlight.Count + _waiting.Count(m => m is MeasurementBatch);
        edge.Counters.AddQueued(-batches);
        _inFlight.Clear();
        _waiting.Clear();
        return batches;
    }

    private bool DropOldest()
    {
        // The oldest batch not yet sent goes; a control message keeps its place.
        var kept = new Queue<object>(_waiting.Count);
        var dropped = false;
        while (_waiting.TryDequeue(out var m))
        {
            if (!dropped && m is MeasurementBatch)
            {
                dropped = true;
                edge.Counters.AddDropped();
                edge.Counters.AddQueued(-1);
                continue;
            }
            kept.Enqueue(m);
        }
        foreach (var m in kept) _waiting.Enqueue(m);
        return dropped;
    }

    private void Pump()
    {
        while (_waiting.TryPeek(out var next))
        {
            if (next is MeasurementBatch batch)
            {
                if (_inFlight.Count >= Capacity) return;
                _waiting.Dequeue();
                var seq = ++_seq;
                _inFlight.Add(seq);
                edge.Target.Tell(new Deliver(batch, seq), self);
            }
            else
            {
                _waiting.Dequeue();
                edge.Target.Tell(next, self);
            }
        }
    }
}
