using Ingrain.Agent.Composition;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>The agent's one list of modules: every kind registered once, duplicates refused.</summary>
public sealed class ModuleRegistrySpec
{
    [Fact]
    public void The_agent_registers_every_component_type_once()
    {
        var registry = AgentModules.CreateRegistry();
        Assert.Equal(["command", "dns", "exec", "files", "network", "statsd", "synthetic", "syscalls", "tls"], registry.Probes.Keys.Order());
        Assert.Equal(["add-system-details", "buffer", "container", "exec", "filter", "regex", "whitelist"], registry.Steps.Keys.Order());
        Assert.Equal(["console", "file", "http", "s3", "statsd"], registry.Backends.Keys.Order());
        Assert.True(registry.Probes["exec"].NeedsKernel);
        Assert.True(registry.Probes["network"].NeedsKernel);
        Assert.True(registry.Probes["files"].NeedsKernel);
        Assert.True(registry.Probes["syscalls"].NeedsKernel);
        Assert.False(registry.Probes["statsd"].NeedsKernel);
    }

    [Fact]
    public void A_type_name_registered_twice_within_a_kind_is_refused()
    {
        var registry = AgentModules.CreateRegistry();
        var twice = Assert.Throws<InvalidOperationException>(() => registry.Register(AgentModules.All.OfType<IProbeModule>().First(m => m.Name == "exec")));
        Assert.Contains("probe type \"exec\" is already registered", twice.Message);
    }
}
