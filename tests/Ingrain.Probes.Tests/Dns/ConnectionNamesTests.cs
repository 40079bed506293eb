using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Names;
using Ingrain.Probes.Network;
using Ingrain.Probes.Tests.Network;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Dns.DnsTestKit;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>
/// The DNS probe beside the network probe: a connection to an address a local process just resolved through dnsmasq
/// carries the name it resolved (<c>d_name_str</c>) on its <c>connection.out</c> and <c>connection.close</c>; the
/// process's own answer wins over another process's later one for the same address; an address nobody resolved has none.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ConnectionNamesTests
{
    [KernelFact]
    public async Task A_connection_to_a_resolved_address_carries_the_name_its_process_resolved()
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        var seen = new ConcurrentQueue<Measurement>();
        await using var dns = DnsProbe.Attach(Options(dnsmasq.Port), new ProbeCounters());
        await using var network = NetworkProbe.Attach(ProbeSettings.Network with { IgnoredProcessId = 0, VolumeInterval = TimeSpan.FromHours(1) }, new ProbeCounters());
        _ = dns.RunAsync(new QueueSink(seen), CancellationToken.None);
        _ = network.RunAsync(new QueueSink(seen), CancellationToken.None);
        using var listener = new TcpListener(IPAddress.Parse("127.0.0.9"), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // This process resolves web.test (127.0.0.9); then another process (dig) resolves other.test to the same address.
        var address = await ResolveAsync("web.test", dnsmasq.Port);
        Assert.Equal(IPAddress.Parse("127.0.0.9"), address);
        var dig = await Dig.RunAsync("127.0.0.1", dnsmasq.Port, "other.test", "A");
        await WaitForAsync(seen, Assert.Single(dig.Ids), m => m.Named(DnsMeasurements.Answer, "in", dig.Pid).Any(), "dig's answer");

        int localPort;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(address, port);
            localPort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;
            using var accepted = await listener.AcceptTcpClientAsync();
        }
        var connOut = await NetworkTestKit.WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Out && e.Tuple.LocalPort == localPort, "connection.out");
        Assert.Equal((Environment.ProcessId, "web.test"), (connOut.Owner!.ProcessId, connOut.Tags.Get("d_name_str")));
        var close = await NetworkTestKit.WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Close && e.Tuple.LocalPort == localPort, "connection.close");
        Assert.Equal("web.test", close.RemoteName);
        var connIn = await NetworkTestKit.WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.In && e.Tuple.RemotePort == localPort, "connection.in");
        Assert.Null(connIn.Tags.Get("d_name_str"));

        // Resolve and connect at once, as a client does: the connection.out waits for the DNS probe to read the answer.
        using var fast = new TcpListener(IPAddress.Parse("127.0.0.11"), 0);
        fast.Start();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(await ResolveAsync("fast.test", dnsmasq.Port), ((IPEndPoint)fast.LocalEndpoint).Port);
            localPort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;
        }
        var quick = await NetworkTestKit.WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Out && e.Tuple.LocalPort == localPort, "fast connection.out");
        Assert.Equal("fast.test", quick.Tags.Get("d_name_str"));
        var fastPort = localPort;
        var quickClose = await NetworkTestKit.WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Close && e.Tuple.LocalPort == fastPort, "fast connection.close");
        Assert.Equal("fast.test", quickClose.Tags.Get("d_name_str"));

        // Nobody resolved 127.0.0.10: no name.
        using var unnamed = new TcpListener(IPAddress.Parse("127.0.0.10"), 0);
        unnamed.Start();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Parse("127.0.0.10"), ((IPEndPoint)unnamed.LocalEndpoint).Port);
            localPort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;
        }
        var plain = await NetworkTestKit.WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Out && e.Tuple.LocalPort == localPort, "unnamed connection.out");
        Assert.Null(plain.Tags.Get("d_name_str"));
    }

    // A query from this process, over UDP to dnsmasq: the first A address of the answer.
    private static async Task<IPAddress> ResolveAsync(string name, int port)
    {
        var query = new DnsMessageBuilder().Header(0x5151, false).Question(name, 1).Build();
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        await udp.SendAsync(query, new IPEndPoint(IPAddress.Loopback, port));
        var answer = await udp.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(DnsParser.TryParse(answer.Buffer, true, true, out var parsed));
        return IPAddress.Parse(parsed!.Records.First(r => r.Type == DnsNames.TypeA).Data[0].Value);
    }
}

/// <summary>The resolved-names cache: the process's own answer first, TTLs with a floor, bounded.</summary>
public sealed class ResolvedNamesTests
{
    private static readonly IPAddress Address = IPAddress.Parse("192.0.2.1");

    [Fact]
    public void The_processs_own_answer_wins_else_the_latest_of_any_process()
    {
        var names = new ResolvedNames();
        names.Add(10, Address, "mine.example", 60, nowMs: 0);
        names.Add(20, Address, "theirs.example", 60, nowMs: 1);
        Assert.Equal("mine.example", names.Find(10, Address, 2));
        Assert.Equal("theirs.example", names.Find(30, Address, 2));
        Assert.Equal("mine.example", names.Find(10, IPAddress.Parse("::ffff:192.0.2.1"), 2)); // a dual-stack socket's view
        Assert.Null(names.Find(10, IPAddress.Parse("192.0.2.2"), 2));
    }

    [Fact]
    public void An_answer_is_forgotten_after_its_ttl_but_not_before_the_floor()
    {
        var names = new ResolvedNames(minimumLifetime: TimeSpan.FromSeconds(5));
        names.Add(1, Address, "long.example", 60, 0);
        Assert.Equal("long.example", names.Find(1, Address, 59_999));
        Assert.Null(names.Find(1, Address, 60_000));
        names.Add(1, Address, "zero.example", 0, 100_000);
        Assert.Equal("zero.example", names.Find(1, Address, 104_999));
        Assert.Null(names.Find(1, Address, 105_000));
    }

    [Fact]
    public void The_cache_keeps_at_most_its_capacity_oldest_out_first()
    {
        var names = new ResolvedNames(capacity: 100);
        for (var i = 0; i < 1000; i++) names.Add(1, new IPAddress(0x0a000000u + (uint)i), $"n{i}.example", 3600, 0);
        Assert.Equal(100, names.Count);
        Assert.Null(names.Find(1, new IPAddress(0x0a000000u), 1));
        Assert.NotNull(names.Find(1, new IPAddress(0x0a000000u + 999), 1));
    }
}
