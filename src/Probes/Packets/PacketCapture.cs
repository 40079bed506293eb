using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Packets;

/// <summary>
/// Loads bpf/packets (the cgroup_skb egress and ingress programs every payload-reading probe shares), joins it to the
/// socket owner map, marks the ports of its consumers' classes and switches the classes on. The classes and ports
/// live in maps, not in constants, so that a second consumer (TLS) can join a loaded capture by writing them.
/// </summary>
internal static class PacketCapture
{
    public const string Object = EmbeddedBpfObjects.Packets;

    /// <summary>Opens, loads and attaches the capture for DNS on <paramref name="dnsPorts"/>; the caller owns the object
    /// (disposing it detaches the programs).</summary>
    public static (BpfObject Object, IReadOnlyList<BpfLink> Links) Attach(SocketOwners owners, RingBufferBatching batching,
        IEnumerable<int> dnsPorts, int ignoredProcessId)
    {
        var obj = EmbeddedBpfObjects.Open(Object);
        try
        {
            owners.ShareWith(obj);
            batching.ApplyTo(obj);
            obj.Load();
            var ports = obj.Map("packet_ports");
            foreach (var port in dnsPorts) ports.Update((uint)port, PacketAbi.ClassDns);
            // Switched on last: the programs see nothing until then.
            obj.Map("packet_config").Update(0u, new PacketConfig { IgnoreTgid = (uint)ignoredProcessId, Classes = PacketAbi.ClassDns });
            var links = obj.Programs.Select(p => AttachBySection.Attach(p, owners.CgroupRoot)).ToList();
            return (obj, links);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

}
