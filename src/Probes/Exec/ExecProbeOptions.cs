namespace Ingrain.Probes.Exec;

/// <summary>Settings of the exec probe.</summary>
/// <param name="IgnoreOwnProcess">Drop events of the agent's own process in the kernel (default true).</param>
/// <param name="EmitExits">Also report process exits (<c>process.exit</c>); default true.</param>
public sealed record ExecProbeOptions(bool IgnoreOwnProcess = true, bool EmitExits = true);
