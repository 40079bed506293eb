using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// An agent that cannot attach a probe says once per try why (the missing capability, no stack trace), shows the
/// probe as not attached in its status, and exits 3; with the capability set docs/security.md gives, it attaches.
/// Run as <c>nobody</c> with exactly the capabilities listed (setpriv).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class UnattachedProbeSpec : IDisposable
{
    private const string Tracepoint = "+bpf,+perfmon,+dac_read_search";
    private readonly HostileDirectory _dir = new();

    public UnattachedProbeSpec() => File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101); // nobody must reach the file

    public void Dispose() => _dir.Dispose();

    [KernelFact]
    public async Task Exec_without_tracefs_access_is_reported_as_not_attached_and_the_agent_exits_3()
    {
        KernelRequirements.Require();
        using var agent = AgentProcess.StartAsNobody("+bpf,+perfmon", "run", "--config", Config("exec"));
        await agent.WaitForAsync(() => agent.Stderr, "could not attach", TimeSpan.FromSeconds(30));
        agent.Signal("TERM");
        Assert.Equal(3, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));

        var stderr = agent.Stderr;
        Assert.Contains("Reading the tracepoint's id from tracefs needs CAP_DAC_READ_SEARCH", stderr);
        Assert.Contains("ingrain.probes.p: stopped, was not attached (", stderr);
        Assert.Contains("probe p was not attached when the agent stopped, so it monitored nothing", stderr);
        // The reason once per try, never a stack trace (Akka's copy of the failure stays at debug level).
        Assert.DoesNotContain("ActorInitializationException", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [KernelFact]
    public async Task Network_without_net_admin_names_it()
    {
        KernelRequirements.Require();
        using var agent = AgentProcess.StartAsNobody(Tracepoint, "run", "--config", Config("network"));
        await agent.WaitForAsync(() => agent.Stderr, "could not attach", TimeSpan.FromSeconds(30));
        agent.Signal("TERM");
        Assert.Equal(3, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("need CAP_NET_ADMIN", agent.Stderr);
    }

    // The TLS probe loads the socket owner hooks (tracepoints and cgroup programs) and the packet capture (cgroup_skb).
    [KernelFact]
    public async Task Tls_without_net_admin_names_it()
    {
        KernelRequirements.Require();
        using var agent = AgentProcess.StartAsNobody(Tracepoint, "run", "--config", Config("tls"));
        await agent.WaitForAsync(() => agent.Stderr, "could not attach", TimeSpan.FromSeconds(30));
        agent.Signal("TERM");
        Assert.Equal(3, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("need CAP_NET_ADMIN", agent.Stderr);
    }

    [KernelFact]
    public Task Tls_attaches_with_net_admin_as_well() => AttachesWith("tls", Tracepoint + ",+net_admin", "tls probe attached");

    [KernelFact]
    public Task Exec_attaches_with_bpf_perfmon_and_dac_read_search() => AttachesWith("exec", Tracepoint, "exec probe attached");

    [KernelFact]
    public Task Network_attaches_with_net_admin_as_well() => AttachesWith("network", Tracepoint + ",+net_admin", "network probe attached");

    private async Task AttachesWith(string type, string capabilities, string attached)
    {
        KernelRequirements.Require();
        using var agent = AgentProcess.StartAsNobody(capabilities, "run", "--config", Config(type));
        await agent.WaitForAsync(() => agent.Stderr, attached, TimeSpan.FromSeconds(30));
        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("ingrain.probes.p: stopped emitted=", agent.Stderr);
        Assert.DoesNotContain("could not attach", agent.Stderr);
    }

    private string Config(string type) => _dir.Write($"{type}.hocon",
        $"ingrain {{ probes.p {{ type = {type}, pipelines = [c] }}, pipelines.c.backend.type = console }}", (UnixFileMode)0b110_100_100);
}
