using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Exec;

/// <summary><c>type = exec</c>: process executions (and exits) from the sched tracepoints.</summary>
public sealed class ExecProbeModule : ProbeModule<ExecProbeOptions>
{
    public override string Name => ExecProbe.ProbeType;

    public override bool NeedsKernel => true;

    /// <summary>Two tracepoint programs writing one ring buffer; tracefs gives the tracepoints' ids.</summary>
    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
    [
        ProbeRequirement.Program("tracepoint"),
        ProbeRequirement.Map("ringbuf"),
        ProbeRequirement.Map("percpu_array"),
        ProbeRequirement.Tracepoint("sched/sched_process_exec"),
        ProbeRequirement.Tracepoint("sched/sched_process_exit"),
        ProbeRequirement.KernelBtf,
        ProbeRequirement.Capability("CAP_BPF"),
        ProbeRequirement.Capability("CAP_PERFMON"),
        ProbeRequirement.Capability("CAP_DAC_READ_SEARCH"),
    ];

    protected override ExecProbeOptions Parse(ConfigSection s)
    {
        var ring = s.Bytes("ring-bytes", min: Environment.SystemPageSize);
        // The kernel takes only a power-of-two multiple of the page size for a ring buffer.
        if (ring > 0 && (!long.IsPow2(ring) || ring > 1L << 30))
            s.Error("ring-bytes", $"must be a power of two between {Environment.SystemPageSize} bytes and 1GiB, got {ring}");
        return new(s.Bool("emit-exits"), s.Bool("ignore-self") ? Environment.ProcessId : 0, s.Bytes("wake-up-bytes", min: 0),
            s.Duration("wake-up-delay", min: TimeSpan.FromMilliseconds(1)), ring);
    }

    protected override IProbe Create(ExecProbeOptions options, ProbeContext context) =>
        ExecProbe.Attach(options, context.Counters, context.LoggerFactory.CreateLogger<ExecProbe>());
}
