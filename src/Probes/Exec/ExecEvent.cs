using System.Globalization;

namespace Ingrain.Probes.Exec;

/// <summary>
/// A successful execve: measurement <c>process.exec</c>, a counter of 1, tagged in ingraind's style
/// (see docs/probes.md for every tag).
/// </summary>
public sealed record ExecEvent : Measurement
{
    public const string MeasurementName = "process.exec";

    /// <summary>At most this many arguments are kept; more mark <see cref="ArgsTruncated"/>.</summary>
    public const int MaxArgs = 20;

    public ExecEvent(long timestamp, ProcessIdentity process, string path, IReadOnlyList<string> args, bool argsTruncated)
        : base(timestamp, MeasurementKind.Counter, MeasurementName, MeasurementValue.Count(1))
    {
        Process = process;
        Path = path;
        Args = args;
        ArgsTruncated = argsTruncated;
    }

    public ProcessIdentity Process { get; }

    /// <summary>The executed file as passed to execve (the tracepoint's filename).</summary>
    public string Path { get; }

    /// <summary>argv, argv[0] included, up to <see cref="MaxArgs"/> entries and 4 KiB.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>argv had more than <see cref="MaxArgs"/> entries or 4 KiB, or the path was cut at 255 bytes.</summary>
    public bool ArgsTruncated { get; }

    // Built on the first read of Tags (see Measurement.BuildTags), from the fields above, which cannot change.
    protected override Tags BuildTags()
    {
        var p = Process;
        var pairs = new KeyValuePair<string, string>[ArgsTruncated ? 10 : 9];
        ProcessTags.Fill(pairs, p);
        pairs[6] = new("cgroup_id", p.CgroupId.ToString(CultureInfo.InvariantCulture));
        pairs[7] = new("path_str", Path);
        pairs[8] = new("args_str", string.Join(' ', Args));
        if (ArgsTruncated) pairs[9] = new("args_truncated", "true");
        return Tags.FromArray(pairs);
    }
}
