using Ingrain.Agent.Composition;
using Ingrain.Probes.Network;
using Ingrain.TestSupport.Kernel;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The network probe's HOCON keys, as the agent's registry compiles them (defaults from reference.hocon).</summary>
[Collection(KernelCollection.Name)]
public class NetworkProbeSettingsSpec
{
    private static CompileResult Compile(string probe) =>
        TopologyLoader.FromText($"ingrain {{ probes.n {{ type = network, pipelines = [p], {probe} }}, pipelines.p.backend.type = console }}",
            AgentModules.CreateRegistry());

    private static NetworkProbeOptions Options(string probe)
    {
        var result = Compile(probe);
        Assert.Empty(result.Errors);
        return Assert.IsType<NetworkProbeOptions>(result.Spec!.Probes["n"].Options);
    }

    [Fact]
    public void Defaults_report_everything_every_10s_and_ignore_the_agent()
    {
        var options = Options("");
        Assert.True(options.Measurements.SetEquals(NetworkMeasurements.All));
        Assert.Equal(TimeSpan.FromSeconds(10), options.VolumeInterval);
        Assert.Empty(options.IgnoredProcesses);
        Assert.Equal(Environment.ProcessId, options.IgnoredProcessId);
        Assert.Equal(TimeSpan.FromSeconds(1), options.OwnerWait);
    }

    [Fact]
    public void Keys_map_onto_the_options_and_equal_settings_compare_equal()
    {
        const string keys = "measurements = [volume.in, connection.out], volume-interval = 2s, ignore-processes = [sshd, chronyd], ignore-self = false, owner-wait = 250ms";
        var options = Options(keys);
        Assert.True(options.Measurements.SetEquals([NetworkMeasurements.VolumeIn, NetworkMeasurements.ConnectionOut]));
        Assert.Equal(TimeSpan.FromSeconds(2), options.VolumeInterval);
        Assert.True(options.IgnoredProcesses.SetEquals(["sshd", "chronyd"]));
        Assert.Equal(0, options.IgnoredProcessId);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OwnerWait);
        // A reload compares options by value: the same text must not restart the probe.
        Assert.Equal(options, Options(keys));
        Assert.NotEqual(options, Options(keys.Replace("2s", "3s", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unknown_measurements_keys_and_bad_values_are_errors()
    {
        var errors = Compile("measurements = [connection.outt], volume-interval = 10ms, ignore-self = maybe, volume-intervall = 1s").Errors;
        Assert.Contains(errors, e => e.Message.Contains("unknown measurement \"connection.outt\"") && e.Message.Contains("connection.out,"));
        Assert.Contains(errors, e => e.Message.Contains("volume-interval: must be at least"));
        Assert.Contains(errors, e => e.Message.Contains("ignore-self: expected true or false"));
        Assert.Contains(errors, e => e.Message.Contains("unknown key \"volume-intervall\""));
        Assert.Contains(Compile("measurements = []").Errors, e => e.Message.Contains("name at least one measurement"));
    }

    [KernelFact]
    public async Task The_probe_reports_into_the_contexts_counters_and_a_restarted_probe_into_the_same_ones()
    {
        KernelReady.Ensure();
        var spec = Compile("").Spec!.Probes["n"];
        var context = new ProbeContext("n", NullLoggerFactory.Instance, TimeProvider.System, new ProbeCounters());

        var first = Assert.IsType<NetworkProbe>(spec.Type.Create(spec.Options, context));
        await first.DisposeAsync();
        var own = Assert.IsType<NetworkProbeCounters>(context.Counters.Details);
        Assert.Same(context.Counters, first.Counters);
        Assert.Same(own, first.NetworkCounters);

        var second = Assert.IsType<NetworkProbe>(spec.Type.Create(spec.Options, context));
        await second.DisposeAsync();
        Assert.Same(own, second.NetworkCounters);
        Assert.Same(own, context.Counters.Details);
        var names = context.Counters.Snapshot().Select(c => c.Key).ToArray();
        Assert.Equal(["kernel-lost", "connections-untracked", "volume-entries-lost", "volume-bytes-lost", "owners-lost", "unowned-closes"],
            names.Where(n => n is "kernel-lost" || own.Snapshot().Any(c => c.Key == n)));
    }
}
