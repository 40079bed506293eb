using Ingrain.Agent.Composition;
using Ingrain.Probes.Dns;
using Ingrain.TestSupport.Kernel;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The DNS probe's HOCON keys, as the agent's registry compiles them (defaults from reference.hocon).</summary>
[Collection(KernelCollection.Name)]
public class DnsProbeSettingsSpec
{
    private static CompileResult Compile(string probe) =>
        TopologyLoader.FromText($"ingrain {{ probes.d {{ type = dns, pipelines = [p], {probe} }}, pipelines.p.backend.type = console }}",
            AgentModules.CreateRegistry());

    private static DnsProbeOptions Options(string probe)
    {
        var result = Compile(probe);
        Assert.Empty(result.Errors);
        return Assert.IsType<DnsProbeOptions>(result.Spec!.Probes["d"].Options);
    }

    [Fact]
    public void Defaults_report_everything_on_port_53_and_ignore_the_agent()
    {
        var options = Options("");
        Assert.True(options.Measurements.SetEquals(DnsMeasurements.All));
        Assert.Equal([53], options.Ports);
        Assert.Empty(options.IgnoredProcesses);
        Assert.Equal(Environment.ProcessId, options.IgnoredProcessId);
        Assert.Equal(TimeSpan.FromSeconds(1), options.OwnerWait);
    }

    [Fact]
    public void Keys_map_onto_the_options_and_equal_settings_compare_equal()
    {
        const string keys = "measurements = [dns.answer], ports = [53, 5353, 53], ignore-processes = [systemd-resolve], ignore-self = false, owner-wait = 250ms";
        var options = Options(keys);
        Assert.True(options.Measurements.SetEquals([DnsMeasurements.Answer]));
        Assert.Equal([53, 5353], options.Ports);
        Assert.True(options.IgnoredProcesses.SetEquals(["systemd-resolve"]));
        Assert.Equal(0, options.IgnoredProcessId);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OwnerWait);
        Assert.Equal(options, Options(keys));
        Assert.NotEqual(options, Options(keys.Replace("5353", "5354", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unknown_measurements_keys_and_bad_values_are_errors()
    {
        var errors = Compile("measurements = [dns.querry], ports = [0, 70000, 5.5, x], owner-wait = -1s, portz = [1]").Errors;
        Assert.Contains(errors, e => e.Message.Contains("unknown measurement \"dns.querry\"") && e.Message.Contains("dns.query,"));
        Assert.Contains(errors, e => e.Message.Contains("ports: expected numbers between 1 and 65535, got 0"));
        Assert.Contains(errors, e => e.Message.Contains("ports: expected numbers between 1 and 65535, got 70000"));
        Assert.Contains(errors, e => e.Message.Contains("a port is a whole number, got 5.5"));
        Assert.Contains(errors, e => e.Message.Contains("unknown key \"portz\""));
        Assert.Contains(Compile("measurements = []").Errors, e => e.Message.Contains("name at least one measurement"));
        Assert.Contains(Compile("ports = []").Errors, e => e.Message.Contains("name at least one port"));
    }

    [KernelFact]
    public async Task The_probe_reports_into_the_contexts_counters_and_a_restarted_probe_into_the_same_ones()
    {
        KernelReady.Ensure();
        var spec = Compile("").Spec!.Probes["d"];
        var context = new ProbeContext("d", NullLoggerFactory.Instance, TimeProvider.System, new ProbeCounters());
        var first = Assert.IsType<DnsProbe>(spec.Type.Create(spec.Options, context));
        await first.DisposeAsync();
        var own = Assert.IsType<DnsProbeCounters>(context.Counters.Details);
        Assert.Same(context.Counters, first.Counters);
        Assert.Same(own, first.DnsCounters);
        var second = Assert.IsType<DnsProbe>(spec.Type.Create(spec.Options, context));
        await second.DisposeAsync();
        Assert.Same(own, second.DnsCounters);
        Assert.Equal(["duplicates", "unowned", "truncated", "tcp-reassembled", "owners-lost"], own.Snapshot().Select(c => c.Key));
    }
}
