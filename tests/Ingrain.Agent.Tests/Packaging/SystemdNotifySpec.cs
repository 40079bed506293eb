using System.Net.Sockets;
using System.Text;
using Ingrain.Agent.Tests.Hostile;
using Xunit;

namespace Ingrain.Agent.Tests.Packaging;

/// <summary>Under systemd (<c>Type=notify</c>) the agent says READY=1 once its topology runs and STOPPING=1 on SIGTERM.</summary>
public sealed class SystemdNotifySpec : IDisposable
{
    private readonly HostileDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_agent_notifies_ready_then_stopping_on_the_notify_socket()
    {
        var path = Path.Combine(_dir.Path, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var config = _dir.Write("pipeline.hocon", "ingrain { probes.s { type = synthetic, pipelines = [c] }, pipelines.c.backend.type = console }");
        using var agent = AgentProcess.StartWithEnvironment(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path }, "run", "--config", config);

        var received = new List<string>();
        async Task<string> NextAsync()
        {
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, n);
            received.Add(text);
            return text;
        }
        while (!(await NextAsync()).Contains("READY=1")) { }
        Assert.Contains(received, r => r.StartsWith("STATUS=running 1 probe(s) into 1 pipeline(s)", StringComparison.Ordinal));
        agent.Signal("TERM");
        while (!(await NextAsync()).Contains("STOPPING=1")) { }
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
    }
}
