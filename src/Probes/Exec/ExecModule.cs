using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Exec;

/// <summary>Registers the exec probe: HOCON <c>type = exec</c>, opcodes Exec and Exit.</summary>
public sealed class ExecModule : IProbeModule
{
    public string Type => ExecProbe.ProbeType;

    public IReadOnlyList<OpCode> OpCodes { get; } = [OpCode.Exec, OpCode.Exit];

    public IProbe Attach(ProbeContext context) =>
        ExecProbe.Attach(new ExecProbeOptions(), context.LoggerFactory?.CreateLogger<ExecProbe>());
}
