using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Exec;

/// <summary><c>type = exec</c>: process executions (and exits) from the sched tracepoints.</summary>
public sealed class ExecProbeModule : ProbeModule<ExecProbeOptions>
{
    public override string Name => ExecProbe.ProbeType;

    public override bool NeedsKernel => true;

    protected override ExecProbeOptions Parse(ConfigSection s) =>
        new(s.Bool("emit-exits"), s.Bool("ignore-self") ? Environment.ProcessId : 0, s.Bytes("wake-up-bytes", min: 0),
            s.Duration("wake-up-delay", min: TimeSpan.FromMilliseconds(1)));

    protected override IProbe Create(ExecProbeOptions options, ProbeContext context) =>
        ExecProbe.Attach(options, context.Counters, context.LoggerFactory.CreateLogger<ExecProbe>());
}
