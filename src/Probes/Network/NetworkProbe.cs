using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Sockets;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Network;

/// <summary>
/// TCP connections and TCP/UDP volume per process (bpf/network/network.bpf.c). Holds a lease on the shared socket
/// owner map (<see cref="SocketOwners"/>). Attached on creation; <see cref="RunAsync"/> drains the ring buffer and
/// reads the volume sums every interval; disposing detaches and unloads everything.
/// </summary>
public sealed class NetworkProbe : IProbe
{
    public const string ProbeType = "network";

    // Held closes are checked this often (their wait is the owner-wait option).
    private static readonly TimeSpan HeldCheck = TimeSpan.FromMilliseconds(100);

    // A storm of short connections writes records faster than a wake-up per record can be paid for: the reader is
    // woken once 64 KiB (~450 records) wait, and collects the rest every 50 ms.
    private static readonly RingBufferBatching Batching = new(64 * 1024, TimeSpan.FromMilliseconds(50));

    private readonly BpfObject _object;
    private readonly SocketOwners _owners;
    private readonly NetworkDecoder _decoder;
    private readonly VolumeCollector? _volumes;
    private readonly NetworkProbeOptions _options;
    private readonly Lock _decoderLock = new();
    private readonly KernelCounterPump _pump;
    private readonly NetworkCounterPump _networkPump;
    private readonly KernelProbeRuntime _runtime;

    private NetworkProbe(BpfObject obj, SocketOwners owners, IReadOnlyList<BpfLink> links, NetworkProbeOptions options,
        ProbeCounters counters, NetworkProbeCounters networkCounters, ILogger? logger)
    {
        _object = obj;
        _owners = owners;
        Links = links;
        _options = options;
        Counters = counters;
        NetworkCounters = networkCounters;
        var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), Batching);
        _decoder = new NetworkDecoder(new BootClock(), options.OwnerWait, options.IgnoredProcesses, Names.ResolvedNames.Shared);
        var volumeOut = options.Emits(NetworkMeasurements.VolumeOut);
        var volumeIn = options.Emits(NetworkMeasurements.VolumeIn);
        if (volumeOut || volumeIn)
            _volumes = new VolumeCollector(obj.Map("volumes"), obj.Map("released"), options.VolumeInterval, volumeOut, volumeIn, options.IgnoredProcesses);
        // Owners lost before this probe held its lease are not its losses.
        var ownersLostBefore = owners.Lost;
        _networkPump = new NetworkCounterPump(() => KernelErrors() with { OwnersLost = _owners.Lost - ownersLostBefore }, () => Unowned, networkCounters);
        _pump = new KernelCounterPump(reader, Malformed, counters, () => _networkPump.KernelLost);
        _runtime = new KernelProbeRuntime(ProbeType, obj, reader, Publish, logger, owners);
    }

    public string Type => ProbeType;

    /// <summary>What this probe read, skipped and lost (shared with its host, totals across restarts); kernel-lost
    /// includes <see cref="NetworkKernelErrors.Total"/>.</summary>
    public ProbeCounters Counters { get; }

    /// <summary>The network probe's own counters (attached to <see cref="Counters"/> as details by the module).</summary>
    public NetworkProbeCounters NetworkCounters { get; }

    /// <summary>The network object's links (the shared owner hooks' are in <see cref="Owners"/>).</summary>
    public IReadOnlyList<BpfLink> Links { get; }

    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    /// <summary>The lease on the shared socket owner map.</summary>
    public SocketOwners Owners => _owners;

    /// <summary>Closes emitted without owner (no accept named one in time).</summary>
    public long Unowned
    {
        get
        {
            lock (_decoderLock) return _decoder.Unowned;
        }
    }

    /// <summary>Loads the embedded network object, joins it to the shared owner map and attaches what the options ask for.</summary>
    /// <param name="networkCounters">The probe's own counters; pass the previous instance's to keep totals across a restart.</param>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, kernel, tracepoint, verifier, cgroup v2).</exception>
    public static NetworkProbe Attach(NetworkProbeOptions options, ProbeCounters counters, NetworkProbeCounters? networkCounters = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        var owners = SocketOwners.Acquire(logger);
        BpfObject? obj = null;
        try
        {
            obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.Network);
            owners.ShareWith(obj);
            var connOut = options.Emits(NetworkMeasurements.ConnectionOut);
            var connIn = options.Emits(NetworkMeasurements.ConnectionIn);
            var connClose = options.Emits(NetworkMeasurements.ConnectionClose);
            var volOut = options.Emits(NetworkMeasurements.VolumeOut);
            var volIn = options.Emits(NetworkMeasurements.VolumeIn);
            Batching.ApplyTo(obj);
            obj.SetGlobal("ignore_tgid", (uint)options.IgnoredProcessId);
            obj.SetGlobal("emit_out", connOut);
            obj.SetGlobal("emit_in", connIn);
            obj.SetGlobal("emit_close", connClose);
            obj.SetGlobal("track_volume", volOut || volIn);
            var connections = connOut || connIn || connClose;
            obj.Program("ingrain_net_state").SetAutoload(connections);
            obj.Program("ingrain_net_accept4").SetAutoload(connections);
            obj.Program("ingrain_net_accept").SetAutoload(connections);
            obj.Program("ingrain_net_send").SetAutoload(volOut);
            obj.Program("ingrain_net_sendmsg4").SetAutoload(volOut);
            obj.Program("ingrain_net_sendmsg6").SetAutoload(volOut);
            obj.Program("ingrain_net_recv").SetAutoload(volIn);
            obj.Program("ingrain_net_recvmsg4").SetAutoload(volIn);
            obj.Program("ingrain_net_recvmsg6").SetAutoload(volIn);
            obj.Program("ingrain_net_release").SetAutoload(volOut || volIn || connClose);
            obj.Load();
            var links = obj.Programs.Where(p => p.IsLoaded).Select(p => AttachBySection.Attach(p, owners.CgroupRoot)).ToList();
            logger?.LogInformation("network probe attached: {Links}", string.Join(", ", links));
            return new NetworkProbe(obj, owners, links, options, counters, networkCounters ?? new NetworkProbeCounters(), logger);
        }
        catch
        {
            obj?.Dispose();
            owners.Dispose();
            throw;
        }
    }

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Action<Measurement> emit = sink.Emit;
        return _runtime.Run(record =>
        {
            lock (_decoderLock) _decoder.Decode(record, emit);
        }, cancellationToken, token => TimersAsync(emit, token));
    }

    /// <summary>Held closes every 100 ms and volumes every interval; both once more when stopping.</summary>
    private async Task TimersAsync(Action<Measurement> emit, CancellationToken token)
    {
        using var tick = new PeriodicTimer(HeldCheck);
        var nextVolume = Environment.TickCount64 + (long)_options.VolumeInterval.TotalMilliseconds;
        try
        {
            while (await tick.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                lock (_decoderLock) _decoder.FlushExpired(emit);
                if (_volumes is not null && Environment.TickCount64 >= nextVolume)
                {
                    nextVolume += (long)_options.VolumeInterval.TotalMilliseconds;
                    _volumes.Collect(emit);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        lock (_decoderLock) _decoder.FlushExpired(emit, all: true);
        _volumes?.Collect(emit);
    }

    // The runtime's publish loop and the end of a run publish, never at once (the run's end waits for the loop).
    private void Publish()
    {
        _networkPump.Publish();
        _pump.Publish();
    }

    private long Malformed()
    {
        lock (_decoderLock) return _decoder.Malformed + (_volumes?.Malformed ?? 0);
    }

    /// <summary>Reads the volume sums now (what the interval timer does), for tests and a final flush.</summary>
    internal void CollectVolumes(Action<Measurement> emit) => _volumes?.Collect(emit);

    /// <summary>What the kernel side could not track or count (each of them is also counted in kernel-lost).</summary>
    public NetworkKernelErrors KernelErrors()
    {
        if (_object.IsDisposed) return new NetworkKernelErrors(0, 0, 0, 0);
        var errors = _object.Map("net_errors");
        return new NetworkKernelErrors((long)errors.SumPerCpu(NetErrors.ConnMapFull), (long)errors.SumPerCpu(NetErrors.VolumeMapFull),
            (long)errors.SumPerCpu(NetErrors.VolumeBytesLost), _owners.Lost);
    }

    /// <summary>Stops the reader and the timers, detaches and unloads the programs, releases the owner map lease.</summary>
    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}

/// <param name="ConnectionsUntracked">Connections the kernel could not track (connection map full).</param>
/// <param name="VolumeEntriesLost">New {socket, process, peer} entries that found the volume map full.</param>
/// <param name="VolumeBytesLost">The bytes those sends and receives carried.</param>
/// <param name="OwnersLost">Socket owners not recorded (the shared owner map full).</param>
public sealed record NetworkKernelErrors(long ConnectionsUntracked, long VolumeEntriesLost, long VolumeBytesLost, long OwnersLost)
{
    /// <summary>Counted as lost records (bytes are not records: they are reported apart).</summary>
    public long Total => ConnectionsUntracked + VolumeEntriesLost + OwnersLost;
}
