using Ingrain.Native;
using Ingrain.Probes.Kernel;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Syscalls;

/// <summary>
/// Calls per process and syscall, counted in the kernel from <c>raw_tracepoint/sys_enter</c>
/// (bpf/syscalls/syscalls.bpf.c); nothing per call crosses to user space. Attached on creation; <see cref="RunAsync"/>
/// reads and resets the counts every interval (and once more when stopping); disposing detaches and unloads everything.
/// </summary>
public sealed class SyscallsProbe : IProbe
{
    public const string ProbeType = "syscalls";

    private readonly BpfObject _object;
    private readonly SyscallsProbeOptions _options;
    private readonly SyscallCountDrain _drain;
    private readonly Lock _drainLock = new();
    private readonly KernelCounterPump _pump;
    private readonly KernelProbeRuntime _runtime;
    private long _callsLostSeen;

    private SyscallsProbe(BpfObject obj, BpfLink link, SyscallNames names, SyscallsProbeOptions options, ProbeCounters counters,
        SyscallsProbeCounters syscallCounters, ILogger? logger)
    {
        _object = obj;
        Link = link;
        _options = options;
        Counters = counters;
        SyscallCounters = syscallCounters;
        _drain = new SyscallCountDrain(obj, names, options.IgnoredProcesses);
        _pump = new KernelCounterPump(null, () => 0, counters, () => _callsLostSeen);
        _runtime = new KernelProbeRuntime(ProbeType, obj, null, Publish, logger);
    }

    public string Type => ProbeType;

    /// <summary>What this probe emitted and lost (shared with its host, totals across restarts); kernel-lost includes
    /// <see cref="SyscallsProbeCounters.CallsLost"/>.</summary>
    public ProbeCounters Counters { get; }

    /// <summary>The syscalls probe's own counters (attached to <see cref="Counters"/> as details by the module).</summary>
    public SyscallsProbeCounters SyscallCounters { get; }

    /// <summary>The sys_enter link (its id shows in <c>bpftool link</c>).</summary>
    public BpfLink Link { get; }

    public IReadOnlyCollection<BpfProgram> Programs => _object.Programs;

    /// <summary>Loads the embedded syscalls object with the options' filter and attaches it to sys_enter.</summary>
    /// <param name="syscallCounters">The probe's own counters; pass the previous instance's to keep totals across a restart.</param>
    /// <exception cref="Native.Errors.BpfException">A typed error saying what to do (privileges, BTF, kernel, verifier).</exception>
    public static SyscallsProbe Attach(SyscallsProbeOptions options, ProbeCounters counters, SyscallsProbeCounters? syscallCounters = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        var names = SyscallNames.Current
            ?? throw new PlatformNotSupportedException($"the syscalls probe has no syscall table for {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}");
        var obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.Syscalls);
        try
        {
            obj.SetGlobal("ignore_tgid", (uint)options.IgnoredProcessId);
            obj.SetGlobal("monitor_all", options.MonitorsAll);
            obj.SetGlobal("monitored", SyscallBitmap.Of(options.Syscalls));
            foreach (var map in (ReadOnlySpan<string>)["counts_0", "counts_1", "comms_0", "comms_1"]) obj.Map(map).SetMaxEntries(options.MaxPairs);
            obj.Load();
            var link = obj.Program("ingrain_sys_enter").AttachRawTracepoint("sys_enter");
            logger?.LogInformation("syscalls probe attached: {Link}, {Syscalls}", link,
                options.MonitorsAll ? "every syscall" : string.Join(", ", options.Syscalls.Order().Select(names.NameOf)));
            return new SyscallsProbe(obj, link, names, options, counters, syscallCounters ?? new SyscallsProbeCounters(), logger);
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
        Action<Measurement> emit = sink.Emit;
        return _runtime.Run(null, cancellationToken, token => DrainEveryIntervalAsync(emit, token));
    }

    private async Task DrainEveryIntervalAsync(Action<Measurement> emit, CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false)) Drain(emit);
        }
        catch (OperationCanceledException)
        {
        }
        // What was counted since the last interval is reported too.
        Drain(emit);
    }

    /// <summary>Reads, reports and resets the counts now (what the interval timer does).</summary>
    internal void Drain(Action<Measurement> emit)
    {
        lock (_drainLock)
        {
            if (_object.IsDisposed) return;
            _drain.Drain(emit);
            SyscallCounters.CountDrain();
        }
    }

    // The runtime's publish loop and the end of a run publish, never at once (the run's end waits for the loop).
    private void Publish()
    {
        if (!_object.IsDisposed)
        {
            var lost = (long)_object.Map("syscall_errors").SumPerCpu(SyscallErrors.CallsLost);
            SyscallCounters.AddCallsLost(lost - _callsLostSeen);
            _callsLostSeen = lost;
        }
        _pump.Publish();
    }

    /// <summary>Stops the interval loop (after a last drain), detaches and unloads the program.</summary>
    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
