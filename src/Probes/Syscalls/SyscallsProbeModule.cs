using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Syscalls;

/// <summary><c>type = syscalls</c>: calls per process and syscall, counted in the kernel. Every default comes from
/// reference.hocon (<c>ingrain.defaults.probes.syscalls</c>).</summary>
public sealed class SyscallsProbeModule : ProbeModule<SyscallsProbeOptions>
{
    public override string Name => SyscallsProbe.ProbeType;

    public override bool NeedsKernel => true;

    /// <summary>One raw tracepoint program counting into two generations of per-CPU hash maps (an array of maps swaps them).</summary>
    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
    [
        ProbeRequirement.Program("raw_tracepoint"),
        ProbeRequirement.Map("percpu_hash"),
        ProbeRequirement.Map("hash"),
        ProbeRequirement.Map("array"),
        ProbeRequirement.Map("array_of_maps"),
        ProbeRequirement.Map("percpu_array"),
        ProbeRequirement.RawTracepoint("raw_syscalls/sys_enter"),
        ProbeRequirement.KernelBtf,
        ProbeRequirement.Capability("CAP_BPF"),
        ProbeRequirement.Capability("CAP_PERFMON"),
    ];

    protected override SyscallsProbeOptions Parse(ConfigSection s)
    {
        var syscalls = new HashSet<int>();
        var names = s.StringList("monitor-syscalls", required: true);
        if (SyscallNames.Current is not { } table)
        {
            s.Error("monitor-syscalls", $"no syscall table for {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} (the syscalls probe knows x86_64 and arm64)");
        }
        else
        {
            foreach (var name in names)
            {
                if (table.TryGetNumber(name, out var nr)) syscalls.Add(nr);
                else s.Error("monitor-syscalls", $"unknown syscall \"{name}\" on {table.Architecture}" + (table.Suggest(name) is { } guess ? $"; did you mean \"{guess}\"?" : ""));
            }
        }
        var interval = s.Duration("interval", min: TimeSpan.FromMilliseconds(100));
        var ignored = new HashSet<string>(s.StringList("ignore-processes", required: true), StringComparer.Ordinal);
        // The agent's own calls (its backends, its map reads) would otherwise feed back into its output.
        var ignoreSelf = s.Bool("ignore-self");
        var maxPairs = s.Int("max-pairs", min: 1);
        return new SyscallsProbeOptions(syscalls, interval, ignored, ignoreSelf ? Environment.ProcessId : 0, maxPairs);
    }

    protected override IProbe Create(SyscallsProbeOptions options, ProbeContext context)
    {
        // The probe's own counters outlive a restart, like the common ones: a restarted probe adds to the same set.
        var own = context.Counters.Details as SyscallsProbeCounters ?? new SyscallsProbeCounters();
        var probe = SyscallsProbe.Attach(options, context.Counters, own, context.LoggerFactory.CreateLogger<SyscallsProbe>());
        context.Counters.AttachDetails(own);
        return probe;
    }
}
