using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Files;

/// <summary>
/// Opens, reads and writes of files under the monitored paths (bpf/files/files.bpf.c), filtered in the kernel.
/// Attached on creation; <see cref="RunAsync"/> drains the ring buffer (opens, path announcements) and reads the
/// read/write sums every interval; <see cref="TryReconfigure"/> rewrites the monitored set in place; disposing
/// detaches and unloads everything.
/// </summary>
public sealed class FilesProbe : IReconfigurableProbe
{
    public const string ProbeType = "files";

    /// <summary>Syscall exit tracepoints per program (the same program attached to each of them).</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Tracepoints = new Dictionary<string, string[]>
    {
        ["ingrain_files_open"] = ["sys_exit_open", "sys_exit_openat", "sys_exit_openat2", "sys_exit_creat"],
        ["ingrain_files_read"] = ["sys_exit_read", "sys_exit_pread64", "sys_exit_readv", "sys_exit_preadv", "sys_exit_preadv2"],
        ["ingrain_files_write"] = ["sys_exit_write", "sys_exit_pwrite64", "sys_exit_writev", "sys_exit_pwritev", "sys_exit_pwritev2"],
        ["ingrain_files_transfer"] = ["sys_exit_sendfile64", "sys_exit_splice", "sys_exit_copy_file_range"],
    };

    // An open storm writes records faster than a wake-up per record can be paid for: the reader is woken once 64 KiB
    // wait, and collects the rest every 20 ms (well inside IoCollector.Grace, so path records precede the sums).
    private static readonly RingBufferBatching Batching = new(64 * 1024, TimeSpan.FromMilliseconds(20));

    private readonly BpfObject _object;
    private readonly FilesControl _control;
    private readonly FilesDecoder _decoder;
    private readonly IoCollector? _io;
    private readonly Lock _optionsLock = new();
    private readonly KernelCounterPump _pump;
    private readonly FilesProbeCounters _filesCounters;
    private readonly KernelProbeRuntime _runtime;
    private FilesKernelErrors _seen = new(0, 0, 0);
    private long _pathsUnknownSeen;
    private FilesProbeOptions _options;

    private FilesProbe(BpfObject obj, FilesControl control, IReadOnlyList<BpfLink> links, FilesProbeOptions options, ProbeCounters counters,
        FilesProbeCounters filesCounters, ILogger? logger)
    {
        _object = obj;
        _control = control;
        Links = links;
        _options = options;
        Counters = counters;
        _filesCounters = filesCounters;
        Paths = new FilePaths();
        var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), Batching);
        _decoder = new FilesDecoder(new BootClock(), Paths, options.IgnoredProcesses);
        if (options.Reads || options.Writes)
            _io = new IoCollector(obj.Map("io"), control, Paths, options.AggregationInterval, options.Reads, options.Writes, options.IgnoredProcesses);
        _pump = new KernelCounterPump(reader, () => _decoder.Malformed, counters, () => _seen.Total);
        _runtime = new KernelProbeRuntime(ProbeType, obj, reader, Publish, logger);
    }

    public string Type => ProbeType;

    /// <summary>What this probe read, skipped and lost (shared with its host, totals across restarts).</summary>
    public ProbeCounters Counters { get; }

    /// <summary>The files probe's own counters (attached to <see cref="Counters"/> as details by the module).</summary>
    public FilesProbeCounters FilesCounters => _filesCounters;

    public IReadOnlyList<BpfLink> Links { get; }

    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    internal FilePaths Paths { get; }

    /// <summary>The options in effect (those of the last accepted <see cref="TryReconfigure"/>).</summary>
    public FilesProbeOptions Options
    {
        get
        {
            lock (_optionsLock) return _options;
        }
    }

    /// <summary>Loads the embedded files object, writes the monitored set and attaches what the options ask for.</summary>
    /// <param name="filesCounters">The probe's own counters; pass the previous instance's to keep totals across a restart.</param>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, kernel, tracepoint, verifier).</exception>
    /// <exception cref="FileNotFoundException">A monitored path no longer exists.</exception>
    public static FilesProbe Attach(FilesProbeOptions options, ProbeCounters counters, FilesProbeCounters? filesCounters = null, ILogger? logger = null) =>
        Attach(options, counters, filesCounters, logger, ringBytes: null, ioEntries: null);

    /// <param name="ringBytes">Overrides the ring buffer's size, <paramref name="ioEntries"/> the io map's (tests drive kernel loss with tiny ones).</param>
    internal static FilesProbe Attach(FilesProbeOptions options, ProbeCounters counters, FilesProbeCounters? filesCounters, ILogger? logger,
        int? ringBytes, int? ioEntries)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        var monitored = MonitoredPaths.Resolve(options.MonitorDirs);
        var obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.Files);
        var links = new List<BpfLink>();
        try
        {
            var io = options.Reads || options.Writes;
            Batching.ApplyTo(obj);
            obj.SetGlobal("ignore_tgid", (uint)options.IgnoredProcessId);
            obj.SetGlobal("count_read", options.Reads);
            obj.SetGlobal("count_write", options.Writes);
            if (ringBytes is { } bytes) obj.Map("events").SetMaxEntries(bytes);
            if (ioEntries is { } entries) obj.Map("io").SetMaxEntries(entries);
            obj.Program("ingrain_files_open").SetAutoload(options.Opens);
            obj.Program("ingrain_files_read").SetAutoload(options.Reads);
            obj.Program("ingrain_files_write").SetAutoload(options.Writes);
            obj.Program("ingrain_files_transfer").SetAutoload(io);
            obj.Load();
            // The monitored set is in place before the first program runs.
            var control = new FilesControl(obj.Map("files_config"), obj.Map("monitored"), obj.Map("monitored_paths"), obj.Map("monitored_bloom"));
            control.Apply(monitored);
            foreach (var (program, tracepoints) in Tracepoints)
            {
                var p = obj.Program(program);
                if (!p.IsLoaded) continue;
                foreach (var tp in tracepoints) links.Add(p.AttachTracepoint("syscalls", tp));
            }
            logger?.LogInformation("files probe attached: {Links}; monitoring {Paths}", string.Join(", ", links), string.Join(", ", options.MonitorDirs));
            return new FilesProbe(obj, control, links, options, counters, filesCounters ?? new FilesProbeCounters(), logger);
        }
        catch
        {
            obj.Dispose(); // detaches what was attached
            throw;
        }
    }

    public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Action<Measurement> emit = sink.Emit;
        return _runtime.Run(record => _decoder.Decode(record, emit), cancellationToken,
            _io is null ? null : token => IntervalsAsync(emit, token));
    }

    /// <summary>The read/write sums every interval, and once more when stopping.</summary>
    private async Task IntervalsAsync(Action<Measurement> emit, CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.AggregationInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false)) await _io!.CollectAsync(emit).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _io!.CollectAsync(emit, all: true).ConfigureAwait(false);
    }

    /// <summary>Reads the sums now (what the interval timer does), for tests.</summary>
    internal Task CollectAsync(Action<Measurement> emit) => _io?.CollectAsync(emit) ?? Task.CompletedTask;

    /// <summary>
    /// Takes a change of <c>monitor-dirs</c> in place: the kernel's monitored set is rewritten (no program detached,
    /// no event lost) and cached verdicts are recomputed. Any other change needs a restart (false).
    /// </summary>
    /// <exception cref="FileNotFoundException">A new monitored path does not exist (the running set is unchanged).</exception>
    public bool TryReconfigure(object options)
    {
        if (options is not FilesProbeOptions next) return false;
        lock (_optionsLock)
        {
            if (!_options.SameExceptMonitorDirs(next)) return false;
            if (_options == next) return true;
            _control.Apply(MonitoredPaths.Resolve(next.MonitorDirs));
            _options = next;
            _filesCounters.AddMonitorUpdate();
            return true;
        }
    }

    /// <summary>What the kernel side could not count (the lost entries are also in kernel-lost).</summary>
    public FilesKernelErrors KernelErrors()
    {
        if (_object.IsDisposed) return _seen;
        var errors = _object.Map("files_errors");
        return new FilesKernelErrors((long)errors.SumPerCpu(FileErrors.IoMapFull), (long)errors.SumPerCpu(FileErrors.IoBytesLost),
            (long)errors.SumPerCpu(FileErrors.WalkTooDeep));
    }

    // The runtime's publish loop and the end of a run publish, never at once.
    private void Publish()
    {
        var now = KernelErrors();
        _filesCounters.Add(new FilesKernelErrors(now.IoEntriesLost - _seen.IoEntriesLost, now.IoBytesLost - _seen.IoBytesLost,
            now.WalksTooDeep - _seen.WalksTooDeep));
        _seen = now;
        var unknown = _io?.PathsUnknown ?? 0;
        _filesCounters.AddPathsUnknown(unknown - _pathsUnknownSeen);
        _pathsUnknownSeen = unknown;
        _pump.Publish();
    }

    /// <summary>Stops the reader and the interval loop, detaches and unloads the programs.</summary>
    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
