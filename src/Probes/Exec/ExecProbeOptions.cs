namespace Ingrain.Probes.Exec;

/// <summary>
/// Settings of the exec probe. <paramref name="EmitExits"/>: also report process exits (false does not even load the
/// exit program). <paramref name="IgnoredProcessId"/>: a tgid whose execs and exits are dropped in the kernel (the
/// agent itself, so its own activity never feeds back into its output); 0 ignores nothing.
/// <paramref name="WakeupBytes"/> and <paramref name="WakeupDelay"/>: wake-up batching of the ring buffer (the kernel
/// wakes the reader once that many bytes wait, and the reader also looks every <paramref name="WakeupDelay"/>);
/// 0 bytes wakes it on every record. <paramref name="RingBytes"/>: the ring buffer's size (a power of two, at least a
/// page): what the kernel can hold while the pipeline behind the reader is slower than the execs.
/// </summary>
public sealed record ExecProbeOptions(bool EmitExits, int IgnoredProcessId, long WakeupBytes, TimeSpan WakeupDelay, long RingBytes);
