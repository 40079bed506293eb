using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Exec;

/// <summary>Registers the exec probe: HOCON <c>type = exec</c>, opcodes Exec and Exit.</summary>
public sealed class ExecModule : IProbeModule
{
    public string Type => ExecProbe.ProbeType;

    public IReadOnlyList<OpCode> OpCodes { get; } = [OpCode.Exec, OpCode.Exit];

    public IProbe Attach(ProbeContext context) => Attach(new ExecProbeOptions(), context);

    /// <summary>Attaches with the given settings (the agent maps the HOCON keys <c>emit-exits</c>, <c>ignore-self</c> onto them).</summary>
    public IProbe Attach(ExecProbeOptions options, ProbeContext context) =>
        ExecProbe.Attach(options, context.LoggerFactory?.CreateLogger<ExecProbe>());
}
