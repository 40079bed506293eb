using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Packets;

/// <summary>
/// The one loaded bpf/packets object, its two cgroup_skb programs, its ring and the reader that hands each record to
/// the leases whose class it matched. Created by the first <see cref="PacketCapture.Acquire"/>, unloaded by the last
/// lease's dispose. Consumers join and leave by rewriting <c>packet_ports</c> and <c>packet_config</c>: no reload.
/// </summary>
internal sealed class SharedPacketCapture : IDisposable
{
    private readonly BpfObject _object;
    private readonly SocketOwners _owners;
    private readonly RingBufferReader _reader;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly BpfMap _ports, _config;
    private readonly Dictionary<(int Port, byte Class), int> _portUses = [];
    private volatile PacketCaptureLease[] _leases = [];

    private SharedPacketCapture(BpfObject obj, SocketOwners owners, IReadOnlyList<BpfLink> links, RingBufferBatching batching)
    {
        _object = obj;
        _owners = owners;
        Links = links;
        _ports = obj.Map("packet_ports");
        _config = obj.Map("packet_config");
        _reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), batching);
        _run = _reader.RunAsync(Dispatch, _stop.Token);
    }

    public SocketOwners Owners => _owners;

    public IReadOnlyList<BpfLink> Links { get; }

    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    /// <summary>Records the kernel could not put in the ring (full), whoever they were for.</summary>
    public long KernelLost => _reader.KernelLost;

    public static SharedPacketCapture Load(RingBufferBatching batching, ILogger? logger)
    {
        var owners = SocketOwners.Acquire(logger);
        BpfObject? obj = null;
        try
        {
            obj = EmbeddedBpfObjects.Open(PacketCapture.Object);
            owners.ShareWith(obj);
            batching.ApplyTo(obj);
            obj.Load();
            // Nothing is switched on yet (packet_config.classes = 0): the programs return at once until a lease joins.
            var links = obj.Programs.Select(p => AttachBySection.Attach(p, owners.CgroupRoot)).ToList();
            logger?.LogInformation("packet capture attached at {Root}: {Links}", owners.CgroupRoot, string.Join(", ", links));
            return new SharedPacketCapture(obj, owners, links, batching);
        }
        catch
        {
            obj?.Dispose();
            owners.Dispose();
            throw;
        }
    }

    /// <summary>Marks the lease's ports and switches its class on (called under the capture's lock).</summary>
    public void Join(PacketCaptureLease lease)
    {
        foreach (var port in lease.Consumer.Ports)
        {
            var key = (port, lease.Consumer.Class);
            _portUses[key] = _portUses.GetValueOrDefault(key) + 1;
            WritePort(port);
        }
        _leases = [.. _leases, lease];
        WriteConfig();
    }

    /// <summary>Unmarks the lease's ports and switches its class off unless another lease has it (under the lock).</summary>
    public void Leave(PacketCaptureLease lease)
    {
        _leases = [.. _leases.Where(l => l != lease)];
        WriteConfig();
        foreach (var port in lease.Consumer.Ports)
        {
            var key = (port, lease.Consumer.Class);
            if (_portUses.TryGetValue(key, out var n) && n > 1) _portUses[key] = n - 1;
            else _portUses.Remove(key);
            WritePort(port);
        }
    }

    public int LeaseCount => _leases.Length;

    private void WritePort(int port)
    {
        byte bits = 0;
        foreach (var ((p, c), _) in _portUses)
            if (p == port) bits |= c;
        _ports.Update((uint)port, bits);
    }

    // The kernel drops the agent's own packets only when every lease asks it to; the others filter per lease.
    private void WriteConfig()
    {
        var leases = _leases;
        byte classes = 0;
        foreach (var l in leases) classes |= l.Consumer.Class;
        var ignore = leases.Length > 0 && leases.All(l => l.Consumer.IgnoredProcessId != 0 && l.Consumer.IgnoredProcessId == leases[0].Consumer.IgnoredProcessId)
            ? leases[0].Consumer.IgnoredProcessId : 0;
        _config.Update(0u, new PacketConfig { IgnoreTgid = (uint)ignore, Classes = classes });
    }

    private unsafe void Dispatch(ReadOnlySpan<byte> record)
    {
        var leases = _leases;
        if (record.Length < sizeof(PacketRecord))
        {
            foreach (var l in leases) l.Deliver(record);   // each consumer counts it as malformed
            return;
        }
        ref readonly var r = ref Unsafe.As<byte, PacketRecord>(ref MemoryMarshal.GetReference(record));
        var owned = (r.Flags & PacketAbi.FlagNoOwner) == 0;
        foreach (var l in leases)
        {
            if ((r.Classes & l.Consumer.Class) == 0) continue;
            if (owned && l.Consumer.IgnoredProcessId != 0 && r.Owner.Tgid == (uint)l.Consumer.IgnoredProcessId) continue;
            l.Deliver(record);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _run.Wait();
        }
        catch (AggregateException)
        {
        }
        _reader.Dispose();
        _object.Dispose();
        _owners.Dispose();
        _stop.Dispose();
    }
}
