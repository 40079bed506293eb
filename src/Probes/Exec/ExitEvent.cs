using System.Globalization;

namespace Ingrain.Probes.Exec;

/// <summary>
/// A process ended (its last thread exited): measurement <c>process.exit</c>, a counter of 1, tagged with the
/// exit code, the terminating signal and the process lifetime (see docs/probes.md).
/// </summary>
public sealed record ExitEvent : Measurement
{
    public const string MeasurementName = "process.exit";

    public ExitEvent(long timestamp, ProcessIdentity process, int exitCode, int signal, bool coreDumped, long durationNs)
        : base(timestamp, MeasurementKind.Counter, MeasurementName, MeasurementValue.Count(1))
    {
        Process = process;
        ExitCode = exitCode;
        Signal = signal;
        CoreDumped = coreDumped;
        DurationNs = durationNs;
    }

    public ProcessIdentity Process { get; }

    /// <summary>The status given to exit() (0-255); meaningful when <see cref="Signal"/> is 0.</summary>
    public int ExitCode { get; }

    /// <summary>The signal that killed the process, or 0.</summary>
    public int Signal { get; }

    public bool CoreDumped { get; }

    /// <summary>Nanoseconds from the process's start to its exit.</summary>
    public long DurationNs { get; }

    // Built on the first read of Tags (see Measurement.BuildTags), from the fields above, which cannot change.
    protected override Tags BuildTags()
    {
        var p = Process;
        var pairs = new KeyValuePair<string, string>[CoreDumped ? 11 : 10];
        ProcessTags.Fill(pairs, p);
        pairs[6] = new("cgroup_id", p.CgroupId.ToString(CultureInfo.InvariantCulture));
        pairs[7] = new("exit_code_id", ExitCode.ToString(CultureInfo.InvariantCulture));
        pairs[8] = new("signal_id", Signal.ToString(CultureInfo.InvariantCulture));
        pairs[9] = new("duration_ns", DurationNs.ToString(CultureInfo.InvariantCulture));
        if (CoreDumped) pairs[10] = new("core_dumped", "true");
        return Tags.FromArray(pairs);
    }
}
