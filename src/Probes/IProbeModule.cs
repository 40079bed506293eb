using Microsoft.Extensions.Logging;

namespace Ingrain.Probes;

/// <summary>
/// One probe kind (one folder under Probes/, e.g. Exec/ExecModule.cs): its HOCON type, the ring buffer opcodes its
/// decoder owns, and how to attach it. Registered explicitly in the composition root, see <see cref="ProbeRegistry"/>.
/// </summary>
public interface IProbeModule
{
    /// <summary>The HOCON <c>type = …</c> of the probe, e.g. <c>exec</c>.</summary>
    string Type { get; }

    /// <summary>Opcodes of the records this probe's BPF programs write (each claimed by one module only).</summary>
    IReadOnlyList<OpCode> OpCodes { get; }

    /// <summary>Loads and attaches the probe's programs; throws the typed BPF errors of Ingrain.Native.Errors.</summary>
    IProbe Attach(ProbeContext context);
}

/// <summary>What every probe may use when attaching.</summary>
public sealed record ProbeContext(ILoggerFactory? LoggerFactory = null);
