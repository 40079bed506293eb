using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Files;

/// <summary><c>type = files</c>: opens, reads and writes of files under <c>monitor-dirs</c>. Every default comes from
/// reference.hocon (<c>ingrain.defaults.probes.files</c>); <c>monitor-dirs</c> has none.</summary>
public sealed class FilesProbeModule : ProbeModule<FilesProbeOptions>
{
    public override string Name => FilesProbe.ProbeType;

    public override bool NeedsKernel => true;

    public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
    [
        ProbeRequirement.Program("tracepoint"),
        ProbeRequirement.Map("ringbuf"),
        ProbeRequirement.Map("array"),
        ProbeRequirement.Map("hash"),
        ProbeRequirement.Map("lru_hash"),
        ProbeRequirement.Map("percpu_array"),
        .. FilesProbe.Tracepoints.Values.SelectMany(t => t).Select(t => ProbeRequirement.Tracepoint($"syscalls/{t}")),
        ProbeRequirement.KernelBtf,
        ProbeRequirement.Capability("CAP_BPF"),
        ProbeRequirement.Capability("CAP_PERFMON"),
        ProbeRequirement.Capability("CAP_DAC_READ_SEARCH"),
    ];

    protected override FilesProbeOptions Parse(ConfigSection s)
    {
        var errorsBefore = s.Errors.Count;
        var dirs = new List<string>();
        foreach (var path in s.StringList("monitor-dirs", required: true))
        {
            if (!Path.IsPathRooted(path)) s.Error("monitor-dirs", $"\"{path}\" is not an absolute path");
            else if (!File.Exists(path) && !Directory.Exists(path)) s.Error("monitor-dirs", $"{path} does not exist");
            else if (!dirs.Contains(path, StringComparer.Ordinal)) dirs.Add(path);
        }
        if (dirs.Count == 0 && s.Errors.Count == errorsBefore) s.Error("monitor-dirs", "name at least one file or directory to monitor");

        var operations = new HashSet<string>(StringComparer.Ordinal);
        var opsBefore = s.Errors.Count;
        foreach (var op in s.StringList("operations", required: true))
        {
            if (FilesMeasurements.Operations.Contains(op)) operations.Add(op);
            else s.Error("operations", $"unknown operation \"{op}\" (known: {string.Join(", ", FilesMeasurements.Operations)})");
        }
        if (operations.Count == 0 && s.Errors.Count == opsBefore) s.Error("operations", "name at least one operation");
        var interval = s.Duration("aggregation-interval", min: TimeSpan.FromMilliseconds(500));
        var ignored = new HashSet<string>(s.StringList("ignore-processes", required: true), StringComparer.Ordinal);
        // The agent's own reads and writes (its file backend, its config) would otherwise feed back into its output.
        var ignoreSelf = s.Bool("ignore-self");
        return new FilesProbeOptions(dirs, operations, interval, ignored, ignoreSelf ? Environment.ProcessId : 0);
    }

    protected override IProbe Create(FilesProbeOptions options, ProbeContext context)
    {
        // The probe's own counters outlive a restart, like the common ones: a restarted probe adds to the same set.
        var own = context.Counters.Details as FilesProbeCounters ?? new FilesProbeCounters();
        var probe = FilesProbe.Attach(options, context.Counters, own, context.LoggerFactory.CreateLogger<FilesProbe>());
        context.Counters.AttachDetails(own);
        return probe;
    }
}
