using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>
/// A real dnsmasq the test starts on 127.0.0.1 and ::1 at a free port, serving only the records it defines (no
/// upstream, no hosts file): the names below, NXDOMAIN for any other name under <c>test</c>.
/// </summary>
internal sealed class Dnsmasq : IAsyncDisposable
{
    public const string BigTxt = "big.test";

    private readonly Process _process;

    private Dnsmasq(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    /// <summary>Ten 100-byte strings: more than 512 bytes, so over UDP without EDNS0 the answer is truncated (TC).</summary>
    public static readonly string BigText = string.Concat(Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 100)));

    public static async Task<Dnsmasq> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var psi = new ProcessStartInfo(Binary()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[]
                     {
                         "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--pid-file=", "--user=root", "--log-facility=-",
                         $"--port={port}", "--listen-address=127.0.0.1,::1", "--bind-interfaces", "--local=/test/", "--local-ttl=300",
                         "--host-record=a.test,127.0.0.5,fd00::5", "--host-record=web.test,127.0.0.9", "--host-record=other.test,127.0.0.9", "--host-record=fast.test,127.0.0.11", "--cname=alias.test,a.test", "--mx-host=mx.test,mail.test,10",
                         "--txt-record=txt.test,hello world,second", "--srv-host=_sip._udp.test,sip.test,5060,1,2",
                         $"--txt-record={BigTxt},{string.Join(",", Enumerable.Range(0, 10).Select(i => BigText.Substring(i * 100, 100)))}",
                     })
                psi.ArgumentList.Add(a);
            var process = Process.Start(psi)!;
            var log = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                lock (log) log.AppendLine(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new Dnsmasq(process, port);
            if (await server.AnswersAsync()) return server;
            await server.DisposeAsync();
            if (attempt == 2)
                lock (log) throw new InvalidOperationException($"dnsmasq did not answer on port {port}: {log}");
        }
    }

    private static string Binary() =>
        new[] { "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("dnsmasq not installed: run scripts/setup.sh --test");

    // Until it answers a query over UDP on both addresses (or exits: the port was taken).
    private async Task<bool> AnswersAsync()
    {
        byte[] query = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Connect(new IPEndPoint(address, Port));
            var answer = new byte[512];
            while (true)
            {
                if (_process.HasExited || DateTime.UtcNow > deadline) return false;
                try
                {
                    await udp.SendAsync(query);
                    using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                    if (await udp.ReceiveAsync(answer, wait.Token) > 12) break;
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    await Task.Delay(50); // refused (not bound yet) or no answer yet
                }
            }
        }
        return true;
    }

    private static int FreePort()
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            tcp.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
                udp.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
