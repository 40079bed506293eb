using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ingrain.Probes.Tls;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>
/// The TLS probe on the real kernel while <c>openssl s_client</c> and curl (child processes) handshake with a real
/// <c>openssl s_server</c> on loopback at a random port (never 443: the kernel recognises the record, not the port),
/// TLS 1.2 and 1.3, IPv4 and IPv6: each hello is reported by the socket that sent it (out) and the one that received
/// it (in), with that socket's process — the client for its ClientHello out and ServerHello in, s_server for the others.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TlsProbeTests
{
    public static TlsProbeOptions Options => ProbeSettings.Tls with { IgnoredProcessId = 0 };

    [KernelFact]
    public Task Tls13_over_ipv4() => Handshake("127.0.0.1", "1.3");

    [KernelFact]
    public Task Tls12_over_ipv4() => Handshake("127.0.0.1", "1.2");

    [KernelFact]
    public Task Tls13_over_ipv6() => Handshake("::1", "1.3");

    [KernelFact]
    public Task Tls12_over_ipv6() => Handshake("::1", "1.2");

    private static async Task Handshake(string address, string version)
    {
        KernelReady.Ensure();
        await using var server = await OpenSslServer.StartAsync(address);
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = TlsProbe.Attach(Options, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var sni = $"v{version.Replace(".", "", StringComparison.Ordinal)}.server.test";
        var client = await TlsClientRun.OpenSslAsync(server, version, sni, "h2,http/1.1");
        Assert.True(client.Output.Contains("CONNECTION ESTABLISHED", StringComparison.Ordinal), client.Output);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        var mine = await WaitForAsync(seen, m => m.Tags.Get("d_port") == port || m.Tags.Get("s_port") == port, 4, $"TLS {version} {address}");
        var family = address.Contains(':') ? "ipv6" : "ipv4";
        string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);

        var chOut = Assert.Single(mine, m => m.Name == TlsMeasurements.ClientHello && m.Tags.Get("direction") == "out");
        var chIn = Assert.Single(mine, m => m.Name == TlsMeasurements.ClientHello && m.Tags.Get("direction") == "in");
        var shOut = Assert.Single(mine, m => m.Name == TlsMeasurements.ServerHello && m.Tags.Get("direction") == "out");
        var shIn = Assert.Single(mine, m => m.Name == TlsMeasurements.ServerHello && m.Tags.Get("direction") == "in");
        Assert.Equal((Pid(client.Pid), "openssl"), (chOut.Tags.Get("process_id"), chOut.Tags.Get("process_str")));
        Assert.Equal(Pid(server.Pid), chIn.Tags.Get("process_id"));
        Assert.Equal(Pid(server.Pid), shOut.Tags.Get("process_id"));
        Assert.Equal(Pid(client.Pid), shIn.Tags.Get("process_id"));
        foreach (var ch in new[] { chOut, chIn })
        {
            Assert.Equal((sni, "h2,http/1.1", family, port, address), (ch.Tags.Get("sni_list"), ch.Tags.Get("alpn_list"), ch.Tags.Get("family"),
                ch.Tags.Get("d_port"), ch.Tags.Get("d_ip")));
            Assert.Equal("1.2", ch.Tags.Get("client_version"));
            Assert.Equal(version == "1.3" ? "1.3" : "", ch.Tags.Get("supported_versions"));
            Assert.Contains("server_name", ch.Tags.Get("extensions_list")!.Split(','));
            Assert.Contains("application_layer_protocol_negotiation", ch.Tags.Get("extensions_list")!.Split(','));
            Assert.Contains("x25519", ch.Tags.Get("groups_list")!.Split(','));
            var suites = ch.Tags.Get("ciphersuites_list")!.Split(',');
            Assert.Contains(version == "1.3" ? "TLS_AES_256_GCM_SHA384" : "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", suites);
            Assert.Equal(TlsFingerprints.Md5(ch.Tags.Get("ja3_str")!), ch.Tags.Get("ja3"));
            Assert.StartsWith(version == "1.3" ? "t13d" : "t12d", ch.Tags.Get("ja4"), StringComparison.Ordinal);
            Assert.EndsWith("h2", ch.Tags.Get("ja4")!.Split('_')[0], StringComparison.Ordinal);
        }
        Assert.Equal(chOut.Tags.Get("ja4"), chIn.Tags.Get("ja4"));
        foreach (var sh in new[] { shOut, shIn })
        {
            // TLS 1.3 sends the chosen protocol in EncryptedExtensions: the ServerHello has no ALPN to show.
            Assert.Equal((version, version == "1.3" ? "" : "h2", port, address),
                (sh.Tags.Get("server_version"), sh.Tags.Get("alpn_str"), sh.Tags.Get("s_port"), sh.Tags.Get("s_ip")));
            Assert.Contains(sh.Tags.Get("ciphersuite_str"), chOut.Tags.Get("ciphersuites_list")!.Split(','));
            Assert.Equal(TlsFingerprints.Md5(sh.Tags.Get("ja3s_str")!), sh.Tags.Get("ja3s"));
            Assert.StartsWith(version == "1.3" ? "t13" : "t12", sh.Tags.Get("ja4s"), StringComparison.Ordinal);
        }
        Assert.Equal("1.2", shOut.Tags.Get("tls_version"));
    }

    [KernelFact]
    public async Task Curl_is_seen_with_its_sni_and_process()
    {
        KernelReady.Ensure();
        await using var server = await OpenSslServer.StartAsync("127.0.0.1");
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = TlsProbe.Attach(Options, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        var curl = await TlsClientRun.CurlAsync(server, "curl.server.test");
        Assert.True(curl.ExitCode == 0, curl.Output);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        var mine = await WaitForAsync(seen, m => m.Name == TlsMeasurements.ClientHello && m.Tags.Get("d_port") == port, 2, "curl");
        var ch = Assert.Single(mine, m => m.Tags.Get("direction") == "out");
        Assert.Equal((curl.Pid.ToString(CultureInfo.InvariantCulture), "curl", "curl.server.test"), (ch.Tags.Get("process_id"), ch.Tags.Get("process_str"), ch.Tags.Get("sni_list")));
        Assert.Contains("http/1.1", ch.Tags.Get("alpn_list")!.Split(','));
    }

    [KernelFact]
    public async Task Server_hellos_can_be_switched_off_and_processes_ignored()
    {
        KernelReady.Ensure();
        await using var server = await OpenSslServer.StartAsync("127.0.0.1");
        var seen = new ConcurrentQueue<Measurement>();
        var counters = new ProbeCounters();
        await using (var probe = TlsProbe.Attach(Options with { ServerHellos = false, IgnoredProcesses = new HashSet<string> { "curl" } }, counters))
        {
            _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
            await TlsClientRun.CurlAsync(server, "ignored.server.test");
            await TlsClientRun.OpenSslAsync(server, "1.3", "kept.server.test", "h2");
            await WaitForAsync(seen, m => m.Tags.Get("sni_list") == "kept.server.test", 2, "the kept client");
            // The curl hello came first: by now it would be there. Held hellos and the last tick are flushed by the dispose.
        }
        Assert.DoesNotContain(seen, m => m.Name == TlsMeasurements.ServerHello);
        // curl's own socket's hello is dropped; s_server's copy (its socket received it) is not curl's.
        Assert.DoesNotContain(seen, m => m.Tags.Get("process_str") == "curl");
        Assert.Contains(seen, m => m.Tags.Get("sni_list") == "ignored.server.test" && m.Tags.Get("process_id") == server.Pid.ToString(CultureInfo.InvariantCulture));
    }

    // A ClientHello written in two sends with a pause (TCP_NODELAY): two segments; the kernel captures the second as
    // the first one's continuation and the decoder joins them, on the client's egress and the server's ingress.
    [KernelFact]
    public async Task A_client_hello_split_over_two_segments_is_reassembled()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        var counters = new TlsProbeCounters();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hello = new TlsHelloBuilder { CipherSuites = [0x1301, 0x1302, 0x1303] }.Sni("split.server.test").Alpn("h2")
            .SupportedVersions(0x0304).Extension(21, new byte[600]).Client();
        await using (var probe = TlsProbe.Attach(Options, new ProbeCounters(), counters))
        {
            _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
            var accepting = listener.AcceptSocketAsync();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port);
            using var accepted = await accepting;
            await client.SendAsync(hello.AsMemory(0, 300));
            await Task.Delay(100); // lets the first segment go alone (there is no condition to wait on in the sender)
            await client.SendAsync(hello.AsMemory(300));
            var buffer = new byte[hello.Length];
            for (var got = 0; got < hello.Length;) got += await accepted.ReceiveAsync(buffer.AsMemory(got));
            await WaitForAsync(seen, m => m.Tags.Get("sni_list") == "split.server.test", 2, "the split hello");
        }
        var port0 = port.ToString(CultureInfo.InvariantCulture);
        var mine = seen.Where(m => m.Tags.Get("d_port") == port0).ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, m => Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), m.Tags.Get("process_id")));
        Assert.Equal(2, counters.TcpReassembled);
    }

    internal static async Task<List<Measurement>> WaitForAsync(ConcurrentQueue<Measurement> seen, Func<Measurement, bool> mine, int count, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<Measurement> found = [];
        while (DateTime.UtcNow < deadline)
        {
            found = seen.Where(mine).ToList();
            if (found.Count >= count) break;
            await Task.Delay(20);
        }
        if (found.Count < count)
            throw new Xunit.Sdk.XunitException($"{what}: {found.Count} of {count} hellos within 10 s:\n" + string.Join('\n', seen.Select(m => $"{m.Name} {m.Tags}")));
        return found;
    }
}
