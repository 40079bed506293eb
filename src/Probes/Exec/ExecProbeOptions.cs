namespace Ingrain.Probes.Exec;

/// <summary>Settings of the exec probe.</summary>
/// <param name="EmitExits">Also report process exits (<c>process.exit</c>); when false the exit program is not loaded.</param>
public sealed record ExecProbeOptions(bool EmitExits = true)
{
    /// <summary>
    /// A process whose events are dropped in the kernel: by default the agent itself, so that its own activity
    /// never feeds back into its output; 0 keeps every process.
    /// </summary>
    public int IgnoredProcessId { get; init; } = Environment.ProcessId;
}
