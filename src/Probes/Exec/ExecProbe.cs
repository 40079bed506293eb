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
    private readonly RingBufferReader _reader;
    private readonly ExecDecoder _decoder = new(new BootClock());
    private readonly ILogger? _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly KernelCounterPump _pump;
    private Task? _run;

    private ExecProbe(BpfObject obj, IReadOnlyList<BpfLink> links, RingBufferReader reader, ProbeCounters counters, ILogger? logger)
    {
        _object = obj;
        Links = links;
        _reader = reader;
        _logger = logger;
        Counters = counters;
        _pump = new KernelCounterPump(reader, () => _decoder.Malformed, counters);
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
            if (ringBytes is { } bytes) obj.Map("events").SetMaxEntries(bytes);
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
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        RingRecordHandler handler = record =>
        {
            if (_decoder.Decode(record) is { } measurement) sink.Emit(measurement);
        };
        _run = Task.WhenAll(_reader.RunAsync(handler, linked.Token), PublishCountersAsync(linked.Token)).ContinueWith(t =>
        {
            _pump.Publish();
            linked.Dispose();
            return t;
        }, TaskScheduler.Default).Unwrap();
        return _run;
    }

    // Kernel loss, malformed records and handler failures reach the status within a second.
    private async Task PublishCountersAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) _pump.Publish();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_object.IsDisposed) return;
        _stop.Cancel();
        if (_run is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger?.LogWarning(e, "exec probe reader failed");
            }
        }
        _reader.Dispose();
        _object.Dispose();
        _stop.Dispose();
        _logger?.LogInformation("exec probe detached");
    }
}
