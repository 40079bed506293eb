using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Exec;

/// <summary>
/// Process exec and exit, from the tracepoints <c>sched/sched_process_exec</c> and <c>sched/sched_process_exit</c>.
/// Attached on creation; <see cref="RunAsync"/> drains the ring buffer; disposing detaches and unloads everything.
/// </summary>
public sealed class ExecProbe : IProbe
{
    public const string ProbeType = "exec";

    private readonly BpfObject _object;
    private readonly ExecDecoder _decoder = new(new BootClock());
    private readonly KernelProbeRuntime _runtime;

    private ExecProbe(BpfObject obj, IReadOnlyList<BpfLink> links, RingBufferReader reader, ProbeCounters counters, ILogger? logger)
    {
        _object = obj;
        Links = links;
        Counters = counters;
        var pump = new KernelCounterPump(reader, () => _decoder.Malformed, counters);
        _runtime = new KernelProbeRuntime(ProbeType, obj, reader, pump.Publish, logger);
    }

    /// <summary>What this probe read, skipped and lost (shared with its host, totals across restarts).</summary>
    public ProbeCounters Counters { get; }

    public string Type => ProbeType;

    /// <summary>The attached programs' links (their ids show in <c>bpftool link</c>).</summary>
    public IReadOnlyList<BpfLink> Links { get; }

    /// <summary>The loaded programs (their ids show in <c>bpftool prog</c>).</summary>
    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    /// <summary>Loads the embedded exec object and attaches its tracepoints.</summary>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, kernel, tracepoint, verifier).</exception>
    public static ExecProbe Attach(ExecProbeOptions options, ProbeCounters counters, ILogger? logger = null) =>
        Attach(options, counters, logger, ringBytes: null);

    /// <param name="ringBytes">Overrides the ring buffer's size (tests drive kernel loss with a tiny ring).</param>
    internal static ExecProbe Attach(ExecProbeOptions options, ProbeCounters counters, ILogger? logger, int? ringBytes)
    {
        var obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.Exec);
        try
        {
            obj.SetGlobal("ignore_tgid", (uint)options.IgnoredProcessId);
            obj.Program("ingrain_exit").SetAutoload(options.EmitExits);
            obj.Map("events").SetMaxEntries(ringBytes ?? checked((int)options.RingBytes));
            // A wake-up per record costs the exec'ing process and the reader more than the record (docs/benchmarks.md,
            // "Exec storm"); batched, the reader wakes once enough bytes wait or its timer fires.
            var batching = options.WakeupBytes == 0 ? null : new RingBufferBatching((ulong)options.WakeupBytes, options.WakeupDelay);
            batching?.ApplyTo(obj);
            obj.Load();
            var links = new List<BpfLink> { obj.Program("ingrain_exec").AttachTracepoint("sched", "sched_process_exec") };
            if (options.EmitExits) links.Add(obj.Program("ingrain_exit").AttachTracepoint("sched", "sched_process_exit"));
            var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), batching);
            logger?.LogInformation("exec probe attached: {Links}", string.Join(", ", links));
            return new ExecProbe(obj, links, reader, counters, logger);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return _runtime.Run(record =>
        {
            if (_decoder.Decode(record) is { } measurement) sink.Emit(measurement);
        }, cancellationToken);
    }

    /// <summary>Stops reading, detaches and unloads everything.</summary>
    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
