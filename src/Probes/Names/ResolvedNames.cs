using System.Net;

namespace Ingrain.Probes.Names;

/// <summary>
/// Addresses local processes resolved recently, and the names they asked for: the DNS probe adds every A/AAAA answer
/// a local socket received (the question's name, so <c>www.example.com</c> rather than its CNAME's target), the
/// network probe names its connections from it (<c>d_name_str</c>). One cache per agent, shared by the probes that
/// run in it; bounded (oldest out first) and honouring each answer's TTL, with a floor so that a TTL-0 answer still
/// names the connect that follows it. Thread-safe.
/// </summary>
public sealed class ResolvedNames(int capacity = ResolvedNames.DefaultCapacity, TimeSpan? minimumLifetime = null)
{
    public const int DefaultCapacity = 16384;

    /// <summary>The one cache of the agent process.</summary>
    public static ResolvedNames Shared { get; } = new();

    private readonly Lock _gate = new();
    private readonly Dictionary<(int Pid, IPAddress Address), (string Name, long Expires, long Added)> _byProcess = [];
    private readonly Dictionary<IPAddress, (string Name, long Expires, long Added)> _byAddress = [];
    private readonly Queue<(int Pid, IPAddress Address, long Added)> _order = new();
    private readonly long _floorMs = (long)(minimumLifetime ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
    private long _sequence;
    private int _sources;

    /// <summary>Whether a DNS probe is filling the cache (else a connection need not wait for a name).</summary>
    public bool HasSources => Volatile.Read(ref _sources) > 0;

    /// <summary>A DNS probe fills the cache until the lease is disposed.</summary>
    public IDisposable AddSource()
    {
        Interlocked.Increment(ref _sources);
        return new Source(this);
    }

    public int Count
    {
        get
        {
            lock (_gate) return _byProcess.Count;
        }
    }

    /// <summary>Process <paramref name="pid"/> (0: unknown) was told <paramref name="name"/> is at <paramref name="address"/> for <paramref name="ttlSeconds"/>.</summary>
    public void Add(int pid, IPAddress address, string name, uint ttlSeconds, long nowMs)
    {
        address = Canonical(address);
        var expires = nowMs + Math.Max((long)Math.Min(ttlSeconds, 7 * 86400u) * 1000, _floorMs);
        lock (_gate)
        {
            var added = ++_sequence;
            _byProcess[(pid, address)] = (name, expires, added);
            _byAddress[address] = (name, expires, added);
            _order.Enqueue((pid, address, added));
            while (_byProcess.Count > capacity || _order.Count > 2 * capacity)
            {
                var (p, a, seq) = _order.Dequeue();
                if (_byProcess.TryGetValue((p, a), out var e) && e.Added == seq) _byProcess.Remove((p, a));
                if (_byAddress.TryGetValue(a, out var b) && b.Added == seq) _byAddress.Remove(a);
            }
        }
    }

    /// <summary>The name <paramref name="pid"/> resolved to <paramref name="address"/>; else the name any process resolved to it
    /// most recently; null when none is known or all have expired.</summary>
    public string? Find(int pid, IPAddress address, long nowMs)
    {
        address = Canonical(address);
        lock (_gate)
        {
            if (_byProcess.TryGetValue((pid, address), out var own) && own.Expires > nowMs) return own.Name;
            return _byAddress.TryGetValue(address, out var any) && any.Expires > nowMs ? any.Name : null;
        }
    }

    private static IPAddress Canonical(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private sealed class Source(ResolvedNames names) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref names._sources);
        }
    }
}
