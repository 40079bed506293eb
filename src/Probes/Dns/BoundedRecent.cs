namespace Ingrain.Probes.Dns;

/// <summary>
/// Keys with the (kernel boot) time they were seen, forgotten once older than their window or, when full, oldest
/// first. Backs the duplicate check and the query times the answers' latency comes from. Not thread-safe.
/// </summary>
internal sealed class BoundedRecent<TKey>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, ulong> _seen = [];
    private readonly Queue<(TKey Key, ulong At, ulong Expires)> _order = new();

    public int Count => _seen.Count;

    /// <summary>Adds the key; false when it was already there within <paramref name="window"/>.</summary>
    public bool Add(TKey key, ulong at, ulong window)
    {
        Expire(at);
        if (_seen.TryGetValue(key, out var before) && at - Math.Min(at, before) < window) return false;
        Set(key, at, window);
        return true;
    }

    /// <summary>Sets the key's time (a newer query replaces an older one with the same key).</summary>
    public void Set(TKey key, ulong at, ulong window)
    {
        Expire(at);
        while ((_seen.Count >= capacity || _order.Count >= 2 * capacity) && _order.TryDequeue(out var oldest))
            if (_seen.TryGetValue(oldest.Key, out var t) && t == oldest.At) _seen.Remove(oldest.Key);
        _seen[key] = at;
        _order.Enqueue((key, at, at + window));
    }

    public bool Take(TKey key, out ulong at) => _seen.Remove(key, out at);

    private void Expire(ulong now)
    {
        while (_order.TryPeek(out var head) && head.Expires <= now)
        {
            _order.Dequeue();
            if (_seen.TryGetValue(head.Key, out var t) && t == head.At) _seen.Remove(head.Key);
        }
    }
}
