namespace Ingrain.Probes.Exec;

/// <summary>
/// Settings of the exec probe. <paramref name="EmitExits"/>: also report process exits (false does not even load the
/// exit program). <paramref name="IgnoredProcessId"/>: a tgid whose execs and exits are dropped in the kernel (the
/// agent itself, so its own activity never feeds back into its output); 0 ignores nothing.
/// </summary>
public sealed record ExecProbeOptions(bool EmitExits, int IgnoredProcessId);
