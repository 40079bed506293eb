namespace Ingrain.Native.Errors;

/// <summary>
/// A libbpf or kernel operation failed. <see cref="Errno"/> is the (positive) errno when there is one.
/// Subclasses name the causes a user can act on; each message says what to do.
/// </summary>
public class BpfException(string message, int errno = 0, Exception? inner = null) : Exception(message, inner)
{
    public int Errno { get; } = errno;

    /// <summary>"operation: strerror (errno N)", the shape used by every message built from an errno.</summary>
    internal static string Describe(string operation, int errno) =>
        errno == 0 ? operation : $"{operation}: {Interop.LibC.ErrorText(errno)} (errno {errno})";
}

/// <summary>The process lacks the privileges to load or attach BPF programs; <paramref name="missing"/> says which
/// capability this operation lacked, when that is known.</summary>
public sealed class BpfPermissionException(string operation, int errno = 1, string? missing = null)
    : BpfException($"{Describe(operation, errno)}. {missing ?? "Run as root, or grant the capabilities the probes need."} {Advice}", errno)
{
    /// <summary>The minimal sets measured on Linux 6.18 (docs/security.md, "Capabilities per probe").</summary>
    public const string Advice = "Tracepoint probes (exec) need CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH (syscalls: the first two); " +
        "cgroup probes (network) also CAP_NET_ADMIN (e.g. systemd AmbientCapabilities=CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH CAP_NET_ADMIN).";
}

/// <summary>The kernel exposes no BTF, so CO-RE programs cannot be relocated.</summary>
public sealed class BpfBtfMissingException(string path)
    : BpfException($"kernel BTF not found at {path}: use a kernel built with CONFIG_DEBUG_INFO_BTF=y (most distro kernels ≥ 5.8 are).", 2);

/// <summary>The kernel lacks a feature the probe needs.</summary>
public sealed class BpfKernelTooOldException(string feature, Version required, string? running, IReadOnlyList<string>? log = null)
    : BpfException($"{feature} needs Linux ≥ {required} (running {running ?? "unknown"}): upgrade the kernel or disable this probe.")
{
    public IReadOnlyList<string> Log { get; } = log ?? [];
}

/// <summary>A tracepoint does not exist on this kernel (or tracefs is not mounted).</summary>
public sealed class BpfTracepointNotFoundException(string category, string name, int errno = 2)
    : BpfException($"tracepoint {category}/{name} not found (no /sys/kernel/tracing/events/{category}/{name}): check the name against " +
                   "/sys/kernel/tracing/available_events, mount tracefs at /sys/kernel/tracing, or disable this probe.", errno)
{
    public string Category { get; } = category;
    public string Name { get; } = name;
}

/// <summary>The bytes given are not a valid BPF ELF object (corrupted or truncated embedded resource).</summary>
public sealed class BpfObjectFormatException(string objectName, int errno, IReadOnlyList<string> log)
    : BpfException($"{Describe($"open BPF object {objectName}", errno)}: not a valid BPF object; rebuild the agent " +
                   $"(the embedded object is corrupted). libbpf said: {log.LastOrDefault() ?? "nothing"}", errno)
{
    public IReadOnlyList<string> Log { get; } = log;
}

/// <summary>
/// The verifier rejected a program. <see cref="Log"/> holds every line libbpf printed during the load,
/// including the verifier's log; the message carries the program and the last verifier line.
/// </summary>
public sealed class BpfVerifierException(string objectName, int errno, IReadOnlyList<string> log)
    : BpfException($"{Describe($"load BPF object {objectName}", errno)}: the verifier rejected it: {LastVerifierLine(log)}. " +
                   "The full verifier log is in the Log property (and logged at debug level); fix the program or report the kernel version.", errno)
{
    public IReadOnlyList<string> Log { get; } = log;

    private static string LastVerifierLine(IReadOnlyList<string> log)
    {
        for (var i = log.Count - 1; i >= 0; i--)
        {
            var line = log[i].Trim();
            if (line.Length > 0 && !line.StartsWith("libbpf:", StringComparison.Ordinal) && !line.StartsWith("--", StringComparison.Ordinal)
                && !line.StartsWith("processed ", StringComparison.Ordinal))
                return line;
        }
        return log.LastOrDefault()?.Trim() ?? "no log";
    }
}

/// <summary>libbpf's shared library (<c>libbpf.so.1</c>, libbpf ≥ 1.0) cannot be loaded.</summary>
public sealed class BpfLibraryMissingException(string library)
    : BpfException($"{library} not found: install libbpf ≥ 1.0 with 'make setup' (as root) or 'apt-get install libbpf1'.", 2)
{
    public string Library { get; } = library;
}
