using Ingrain.Actors.Metrics;

namespace Ingrain.Probes;

/// <summary>
/// An attached probe: its BPF programs are in the kernel from construction until disposal. The actor that
/// wraps a probe calls <see cref="RunAsync"/> once and disposes the probe when it stops.
/// </summary>
public interface IProbe : IAsyncDisposable
{
    /// <summary>The probe's type as written in HOCON (<c>type = exec</c>).</summary>
    string Type { get; }

    /// <summary>
    /// Reads the probe's ring buffer and hands every decoded measurement to <paramref name="emit"/>, on the probe's
    /// reader thread, until cancelled. <paramref name="emit"/> must not block for long: the kernel drops records
    /// (counted in <see cref="Stats"/>) while the ring is full.
    /// </summary>
    Task RunAsync(Action<Measurement> emit, CancellationToken cancellationToken);

    /// <summary>A snapshot of what the probe read, skipped and lost so far.</summary>
    ProbeStats Stats();
}

/// <param name="Emitted">Measurements handed to the sink.</param>
/// <param name="Malformed">Records skipped: too short, unknown opcode, or inconsistent lengths.</param>
/// <param name="KernelLost">Records the kernel could not reserve because the ring buffer was full.</param>
/// <param name="SinkFailures">Measurements whose sink threw (skipped; the probe keeps reading).</param>
public sealed record ProbeStats(long Emitted, long Malformed, long KernelLost, long SinkFailures);
