using System.Net.Sockets;
using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Sockets;

/// <summary>
/// The loaded bpf/sockets object: its cgroup hooks attached at the cgroup v2 root, its accept and state tracepoints,
/// and the owner map they fill, seeded with the sockets that were already open. One instance per agent, shared
/// through <see cref="SocketOwners"/>.
/// </summary>
internal sealed class SocketOwnerHooks : IDisposable
{
    private readonly BpfObject _object;

    private SocketOwnerHooks(BpfObject obj, IReadOnlyList<BpfLink> links, string cgroupRoot)
    {
        _object = obj;
        Links = links;
        CgroupRoot = cgroupRoot;
        Owners = obj.Map("sock_owners");
        Full = obj.Map("sock_owner_full");
    }

    public BpfMap Owners { get; }

    public BpfMap Full { get; }

    public IReadOnlyList<BpfLink> Links { get; }

    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    public string CgroupRoot { get; }

    public bool SocketMatching { get; private set; }

    public SocketSeedReport Seed { get; private set; } = new(0, 0);

    public static SocketOwnerHooks Load(ILogger? logger)
    {
        var root = Cgroup2.Root(logger);
        var obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.Sockets);
        try
        {
            obj.Load();
            // Hooks first, then the seed: a socket made in between is seen by a hook, and the seed only fills gaps.
            var links = obj.Programs.Where(p => !AttachBySection.IsIterator(p)).Select(p => AttachBySection.Attach(p, root)).ToList();
            var hooks = new SocketOwnerHooks(obj, links, root);
            hooks.SocketMatching = hooks.CheckSocketMatching(logger);
            hooks.Seed = SocketOwnerSeeder.Run(obj.Program("ingrain_sk_seed"));
            logger?.LogInformation("socket owner hooks attached at {Root} ({Links} links); seeded, {Missing} sockets without cookie, {Unresolved} unresolved",
                root, links.Count, hooks.Seed.WithoutCookie, hooks.Seed.Unresolved);
            return hooks;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public bool TryGet(ulong cookie, out SocketOwner owner)
    {
        if (Owners.TryLookup(cookie, out SocketOwnerRecord record))
        {
            owner = record.ToOwner();
            return true;
        }
        owner = null!;
        return false;
    }

    /// <summary>
    /// The cgroup sock hooks see a socket this process makes now. They see nothing when the kernel has turned cgroup v2
    /// socket matching off, which it does for the whole system once a cgroup v1 <c>net_cls</c> or <c>net_prio</c>
    /// controller is used: then owners come only from the tracepoints (connect, accept, sends and receives).
    /// </summary>
    private bool CheckSocketMatching(ILogger? logger)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Span<byte> value = stackalloc byte[8];
        socket.GetRawSocketOption(1 /* SOL_SOCKET */, 57 /* SO_COOKIE */, value);
        var cookie = BitConverter.ToUInt64(value);
        if (TryGet(cookie, out var owner) && owner.ProcessId == Environment.ProcessId) return true;
        var v1 = Cgroup2.NetV1Controllers(File.ReadLines("/proc/self/mountinfo"));
        logger?.LogError("cgroup v2 socket matching is disabled: the socket hooks at {Root} did not see a new socket{Hint}. " +
                         "Connections and volumes are still reported; packets of sockets the tracepoints have not seen have no owner.",
            CgroupRoot, v1.Count > 0 ? $" (cgroup v1 {string.Join(", ", v1)} mounted: the kernel turns cgroup2 socket matching off once they are used)" : "");
        return false;
    }

    public void Dispose() => _object.Dispose();
}
