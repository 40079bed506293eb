using Ingrain.Native;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Sockets;

/// <summary>
/// A lease on the shared socket owner map (socket cookie → owning process) and its hooks: one set of hooks and one
/// map in the kernel however many probes (network, DNS, TLS) hold a lease. The first lease loads and seeds them, the
/// last one disposed unloads them. A probe's BPF object declares the same maps (bpf/sockets/sock_owner.h) and is
/// joined to them with <see cref="ShareWith"/> before it is loaded.
/// </summary>
public sealed class SocketOwners : IDisposable
{
    private static readonly Lock Gate = new();
    private static SocketOwnerHooks? _hooks;
    private static int _leases;

    private readonly SocketOwnerHooks _shared;
    private bool _disposed;

    private SocketOwners(SocketOwnerHooks shared) => _shared = shared;

    /// <summary>A lease, loading the hooks if no probe holds one.</summary>
    /// <exception cref="Native.Errors.BpfException">Loading or attaching failed (no cgroup v2, verifier, privileges).</exception>
    public static SocketOwners Acquire(ILogger? logger = null)
    {
        lock (Gate)
        {
            _hooks ??= SocketOwnerHooks.Load(logger);
            _leases++;
            return new SocketOwners(_hooks);
        }
    }

    /// <summary>Whether the cgroup socket hooks see sockets (false: the kernel turned cgroup2 socket matching off).</summary>
    public bool SocketMatching => _shared.SocketMatching;

    /// <summary>What seeding found when the hooks were loaded.</summary>
    public SocketSeedReport Seed => _shared.Seed;

    /// <summary>The cgroup v2 root the hooks are attached to.</summary>
    public string CgroupRoot => _shared.CgroupRoot;

    /// <summary>Owners that could not be recorded because the map was full (every object sharing it counts here).</summary>
    public long Lost => (long)_shared.Full.SumPerCpu(0);

    /// <summary>The hooks' links and programs (their ids show in <c>bpftool</c>).</summary>
    public IReadOnlyList<BpfLink> Links => _shared.Links;

    public IReadOnlyCollection<BpfProgram> Programs => _shared.Programs;

    /// <summary>Makes <paramref name="obj"/>'s <c>sock_owners</c> and <c>sock_owner_full</c> these maps; call before its Load().</summary>
    public void ShareWith(BpfObject obj)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        obj.Map("sock_owners").ShareFrom(_shared.Owners);
        obj.Map("sock_owner_full").ShareFrom(_shared.Full);
    }

    public bool TryGet(ulong cookie, out SocketOwner owner)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _shared.TryGet(cookie, out owner);
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (--_leases == 0 && _hooks is { } hooks)
            {
                _hooks = null;
                hooks.Dispose();
            }
        }
    }
}
