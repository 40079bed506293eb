using Ingrain.Actors.Topology;
using Ingrain.Agent.Composition;
using Ingrain.Probes.Network;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The network probe's HOCON keys, as the agent's registry compiles them (defaults from reference.hocon).</summary>
public class NetworkProbeSettingsSpec
{
    private static CompileResult Compile(string probe) =>
        TopologyLoader.FromText($"ingrain {{ probes.n {{ type = network, pipelines = [p], {probe} }}, pipelines.p.backend.type = console }}",
            AgentComponents.CreateRegistry());

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
}
