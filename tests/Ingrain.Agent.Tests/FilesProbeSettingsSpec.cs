using Ingrain.Agent.Composition;
using Ingrain.Probes.Files;
using Ingrain.TestSupport.Kernel;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The files probe's HOCON keys, as the agent's registry compiles them (defaults from reference.hocon).</summary>
[Collection(KernelCollection.Name)]
public class FilesProbeSettingsSpec
{
    private static CompileResult Compile(string probe) =>
        TopologyLoader.FromText($"ingrain {{ probes.f {{ type = files, pipelines = [p], {probe} }}, pipelines.p.backend.type = console }}",
            AgentModules.CreateRegistry());

    private static FilesProbeOptions Options(string probe)
    {
        var result = Compile(probe);
        Assert.Empty(result.Errors);
        return Assert.IsType<FilesProbeOptions>(result.Spec!.Probes["f"].Options);
    }

    [Fact]
    public void Defaults_report_every_operation_every_10s_and_ignore_the_agent()
    {
        var options = Options("monitor-dirs = [/etc, /tmp]");
        Assert.Equal(["/etc", "/tmp"], options.MonitorDirs);
        Assert.True(options.Operations.SetEquals(FilesMeasurements.Operations));
        Assert.Equal(TimeSpan.FromSeconds(10), options.AggregationInterval);
        Assert.Empty(options.IgnoredProcesses);
        Assert.Equal(Environment.ProcessId, options.IgnoredProcessId);
    }

    [Fact]
    public void Keys_map_onto_the_options_and_equal_settings_compare_equal()
    {
        const string keys = "monitor-dirs = [/etc], operations = [open, write], aggregation-interval = 2s, ignore-processes = [sshd], ignore-self = false";
        var options = Options(keys);
        Assert.True(options.Operations.SetEquals(["open", "write"]));
        Assert.Equal(TimeSpan.FromSeconds(2), options.AggregationInterval);
        Assert.True(options.IgnoredProcesses.SetEquals(["sshd"]));
        Assert.Equal(0, options.IgnoredProcessId);
        Assert.Equal(options, Options(keys));
        var moved = Options(keys.Replace("[/etc]", "[/tmp]", StringComparison.Ordinal));
        Assert.NotEqual(options, moved);
        Assert.True(options.SameExceptMonitorDirs(moved));
        Assert.False(options.SameExceptMonitorDirs(Options(keys.Replace("2s", "3s", StringComparison.Ordinal))));
    }

    [Fact]
    public void Monitor_dirs_is_required_and_every_path_must_exist_and_be_absolute()
    {
        Assert.Contains(Compile("").Errors, e => e.Message.Contains("monitor-dirs") && e.ComponentPath.Contains("probes.f"));
        Assert.Contains(Compile("monitor-dirs = []").Errors, e => e.Message.Contains("name at least one file or directory to monitor"));
        var missing = $"/tmp/ingrain-no-such-{Guid.NewGuid():N}";
        var errors = Compile($"monitor-dirs = [/etc, \"{missing}\", etc/relative]").Errors;
        var error = Assert.Single(errors, e => e.Message.Contains(missing));
        Assert.Contains("does not exist", error.Message);
        Assert.Contains(":1:", error.Origin);
        Assert.Contains(errors, e => e.Message.Contains("\"etc/relative\" is not an absolute path"));
    }

    [Fact]
    public void Unknown_operations_keys_and_bad_values_are_errors()
    {
        var errors = Compile("monitor-dirs = [/etc], operations = [opne], aggregation-interval = 10ms, ignore-self = maybe, monitor-dir = [/x]").Errors;
        Assert.Contains(errors, e => e.Message.Contains("unknown operation \"opne\"") && e.Message.Contains("open, read, write"));
        Assert.Contains(errors, e => e.Message.Contains("aggregation-interval: must be at least"));
        Assert.Contains(errors, e => e.Message.Contains("ignore-self: expected true or false"));
        Assert.Contains(errors, e => e.Message.Contains("unknown key \"monitor-dir\""));
        Assert.Contains(Compile("monitor-dirs = [/etc], operations = []").Errors, e => e.Message.Contains("name at least one operation"));
    }

    [KernelFact]
    public async Task The_probe_reports_into_the_contexts_counters_and_a_restarted_probe_into_the_same_ones()
    {
        KernelReady.Ensure();
        var spec = Compile("monitor-dirs = [/tmp]").Spec!.Probes["f"];
        var context = new ProbeContext("f", NullLoggerFactory.Instance, TimeProvider.System, new ProbeCounters());

        var first = Assert.IsType<FilesProbe>(spec.Type.Create(spec.Options, context));
        await first.DisposeAsync();
        var own = Assert.IsType<FilesProbeCounters>(context.Counters.Details);
        Assert.Same(own, first.FilesCounters);
        var second = Assert.IsType<FilesProbe>(spec.Type.Create(spec.Options, context));
        await second.DisposeAsync();
        Assert.Same(own, second.FilesCounters);
        var names = context.Counters.Snapshot().Select(c => c.Key).ToArray();
        Assert.Equal(["kernel-lost", "io-entries-lost", "io-bytes-lost", "walks-too-deep", "paths-unknown", "monitor-updates"],
            names.Where(n => n is "kernel-lost" || own.Snapshot().Any(c => c.Key == n)));
    }
}
