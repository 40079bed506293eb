using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Packets;

/// <summary>
/// What a payload probe decoded on a socket whose owner is not in the owner map yet (the hooks had not seen the socket
/// when its packet went by): held per socket cookie, at most <paramref name="capacity"/> in all, until the owner is
/// known or <paramref name="wait"/> is over. The DNS and TLS decoders share it; not thread-safe (the probe serializes
/// calls).
/// </summary>
internal sealed class OwnerWait<T>(TimeSpan wait, int capacity)
{
    private readonly Dictionary<ulong, List<(T Item, long Deadline)>> _held = [];

    /// <summary>Items held now.</summary>
    public int Count { get; private set; }

    /// <summary>Holds <paramref name="item"/>; false when waiting is off or the queue is full (then it goes out ownerless).</summary>
    public bool TryHold(ulong cookie, T item)
    {
        if (wait <= TimeSpan.Zero || Count >= capacity) return false;
        if (!_held.TryGetValue(cookie, out var list)) _held[cookie] = list = [];
        list.Add((item, Environment.TickCount64 + (long)wait.TotalMilliseconds));
        Count++;
        return true;
    }

    /// <summary>The items held for <paramref name="cookie"/>, in arrival order, to <paramref name="owned"/> with its owner.</summary>
    public void Release(ulong cookie, SocketOwner owner, Action<T, SocketOwner> owned)
    {
        if (!_held.Remove(cookie, out var list)) return;
        Count -= list.Count;
        foreach (var (item, _) in list) owned(item, owner);
    }

    /// <summary>
    /// Every tick: the items of sockets whose owner <paramref name="ownerOf"/> now knows go to <paramref name="owned"/>,
    /// those whose wait is over without one (all of them with <paramref name="all"/>, when stopping) to
    /// <paramref name="expired"/>.
    /// </summary>
    public void Tick(bool all, Func<ulong, SocketOwner?> ownerOf, Action<T, SocketOwner> owned, Action<T> expired)
    {
        if (_held.Count == 0) return;
        var now = Environment.TickCount64;
        foreach (var cookie in _held.Keys.ToList())
        {
            if (ownerOf(cookie) is { } owner)
            {
                Release(cookie, owner, owned);
                continue;
            }
            var list = _held[cookie];
            var over = list.FindAll(h => all || h.Deadline <= now);
            if (over.Count == 0) continue;
            foreach (var (item, _) in over) expired(item);
            list.RemoveAll(h => all || h.Deadline <= now);
            Count -= over.Count;
            if (list.Count == 0) _held.Remove(cookie);
        }
    }
}
