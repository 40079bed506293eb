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
    public Task Tls_attaches_and_reports_with_net_admin_as_well() =>
        AttachesWith("tls", Tracepoint + ",+net_admin", "tls probe attached", "", SendClientHello, "\"name\":\"tls.handshake.clienthello\"");

    [KernelFact]
    public Task Exec_attaches_and_reports_with_bpf_perfmon_and_dac_read_search() =>
        AttachesWith("exec", Tracepoint, "exec probe attached", "", () => Run("/bin/true", "least-privilege"), "\"name\":\"process.exec\"");

    [KernelFact]
    public Task Files_attaches_and_reports_with_bpf_perfmon_and_dac_read_search() =>
        AttachesWith("files", Tracepoint, "files probe attached", $", monitor-dirs = [\"{_dir.Path}\"]",
            () => File.ReadAllText(_dir.Write("watched.txt", "least privilege")), "\"name\":\"file.open\"");

    [KernelFact]
    public Task Network_attaches_and_reports_with_net_admin_as_well() =>
        AttachesWith("network", Tracepoint + ",+net_admin", "network probe attached", "", ConnectToLoopback, "\"name\":\"connection.out\"");

    [KernelFact]
    public Task Syscalls_attaches_and_reports_with_bpf_and_perfmon_alone() =>
        AttachesWith("syscalls", "+bpf,+perfmon", "syscalls probe attached", ", monitor-syscalls = [getppid], interval = 200ms",
            () => Run("/bin/sh", "-c", "cat /proc/self/status > /dev/null"), "\"name\":\"syscall.enter\"");

    [KernelFact]
    public Task Dns_attaches_and_reports_with_net_admin_as_well() =>
        AttachesWith("dns", Tracepoint + ",+net_admin", "dns probe attached", "",
            () => Run("dig", "+tries=1", "+time=1", "@127.0.0.1", "-p", "53", "least-privilege.example"), "\"name\":\"dns.query\"");

    /// <summary>As nobody with exactly <paramref name="capabilities"/>: attaches, reports what <paramref name="workload"/>
    /// does (repeated until seen), stops cleanly with exit 0.</summary>
    private async Task AttachesWith(string type, string capabilities, string attached, string settings, Action workload, string expected)
    {
        KernelRequirements.Require();
        using var agent = AgentProcess.StartAsNobody(capabilities, "run", "--config", Config(type, settings));
        await agent.WaitForAsync(() => agent.Stderr, attached, TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!agent.Stdout.Contains(expected, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            workload();
            await Task.Delay(200);
        }
        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(expected, agent.Stdout);
        Assert.Contains("ingrain.probes.p: stopped emitted=", agent.Stderr);
        Assert.DoesNotContain("could not attach", agent.Stderr);
    }

    private static void Run(string program, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, args)
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit(5000);
    }

    // openssl s_client sends its ClientHello to a listener that accepts and hangs up.
    private static void SendClientHello()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync();
        Run("/bin/sh", "-c", $"timeout 3 openssl s_client -connect 127.0.0.1:{port} -servername least-privilege.test < /dev/null");
        if (accept.Wait(1000)) accept.Result.Dispose();
    }

    private static void ConnectToLoopback()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(System.Net.IPAddress.Loopback, ((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = listener.AcceptTcpClient();
    }

    private string Config(string type, string settings = "") => _dir.Write($"{type}.hocon",
        $"ingrain {{ probes.p {{ type = {type}{settings}, pipelines = [c] }}, pipelines.c.backend.type = console }}", (UnixFileMode)0b110_100_100);
}
