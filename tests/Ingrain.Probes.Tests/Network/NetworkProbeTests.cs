using System.Collections.Concurrent;
using System.Net;
using Ingrain.Probes.Network;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Network.NetworkTestKit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>
/// The network probe on the real kernel while python clients and servers (net_peer.py, separate processes) exchange
/// known byte counts over loopback, IPv4 and IPv6.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class NetworkProbeTests
{
    [KernelFact]
    public Task Tcp_over_ipv4_reports_out_in_close_and_volumes_with_exact_bytes_and_the_right_processes() =>
        TcpExchange("127.0.0.1", SocketTuple.IPv4);

    [KernelFact]
    public Task Tcp_over_ipv6_reports_out_in_close_and_volumes_with_exact_bytes_and_the_right_processes() =>
        TcpExchange("::1", SocketTuple.IPv6);

    private static async Task TcpExchange(string host, string family)
    {
        KernelReady.Ensure();
        const int clientSends = 1_000_000, serverSends = 123_457;
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = NetworkProbe.Attach(Options(), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        await using var server = NetPeer.Start("tcp-server", host, serverSends);
        var listening = await server.ReadAsync();
        var port = listening.GetProperty("port").GetInt32();
        var serverPid = listening.GetProperty("pid").GetInt32();
        await using var client = NetPeer.Start("tcp-client", host, port, clientSends);
        var c = await client.ReadAsync();
        var s = await server.ReadAsync();
        await Task.WhenAll(client.ExitAsync(), server.ExitAsync());
        var clientPid = c.GetProperty("pid").GetInt32();
        var clientPort = c.GetProperty("local_port").GetInt32();
        Assert.Equal((serverSends, clientSends), (c.GetProperty("received").GetInt32(), s.GetProperty("received").GetInt32()));
        Assert.NotEqual(serverPid, clientPid);

        var address = IPAddress.Parse(host);
        var connOut = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Out && e.Tuple.LocalPort == clientPort, "connection.out");
        Assert.Equal(new SocketTuple(SocketTuple.Tcp, family, address, clientPort, address, port), connOut.Tuple);
        Assert.Equal(clientPid, connOut.Owner!.ProcessId);
        Assert.Equal(c.GetProperty("comm").GetString(), connOut.Tags.Get("process_str"));
        Assert.Null(connOut.Tags.Get("error_str"));
        Assert.Equal((clientPid.ToString(), clientPort.ToString(), port.ToString(), host, "tcp", family),
            (connOut.Tags.Get("process_id"), connOut.Tags.Get("s_port"), connOut.Tags.Get("d_port"), connOut.Tags.Get("d_ip"),
             connOut.Tags.Get("proto"), connOut.Tags.Get("family")));

        // The accept is the server's, although the client's packets completed the handshake in softirq.
        var connIn = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.In && e.Tuple.RemotePort == clientPort, "connection.in");
        Assert.Equal(new SocketTuple(SocketTuple.Tcp, family, address, port, address, clientPort), connIn.Tuple);
        Assert.Equal(serverPid, connIn.Owner!.ProcessId);
        Assert.Equal(listening.GetProperty("comm").GetString(), connIn.Owner.Command);

        var clientClose = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Close && e.Tuple.LocalPort == clientPort, "client close");
        Assert.Equal(clientPid, clientClose.Owner!.ProcessId);
        Assert.Equal(((ulong)clientSends, (ulong)serverSends), (clientClose.TxBytes, clientClose.RxBytes));
        Assert.Equal((clientSends.ToString(), serverSends.ToString()), (clientClose.Tags.Get("tx_bytes"), clientClose.Tags.Get("rx_bytes")));
        Assert.InRange(clientClose.DurationNs, 1UL, 60_000_000_000UL);
        Assert.False(clientClose.Partial);

        var serverClose = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Close && e.Tuple.RemotePort == clientPort, "server close");
        Assert.Equal(serverPid, serverClose.Owner!.ProcessId);
        Assert.Equal(((ulong)serverSends, (ulong)clientSends), (serverClose.TxBytes, serverClose.RxBytes));

        // Volumes: exact application bytes per process and socket, both sides.
        probe.CollectVolumes(seen.Enqueue);
        var clientVolume = Volume(seen, clientPid, clientPort, port, "tcp");
        var serverVolume = Volume(seen, serverPid, port, clientPort, "tcp");
        Assert.Equal(((ulong)clientSends, (ulong)serverSends), (clientVolume.Out, clientVolume.In));
        Assert.Equal(((ulong)serverSends, (ulong)clientSends), (serverVolume.Out, serverVolume.In));
        var volumeOut = seen.OfType<VolumeEvent>().First(v => v.ProcessId == clientPid && v.Outbound);
        Assert.Equal(MeasurementUnit.Byte, volumeOut.Value.Unit);
        Assert.Equal((host, family, "tcp"), (volumeOut.Tags.Get("d_ip"), volumeOut.Tags.Get("family"), volumeOut.Tags.Get("proto")));

        Assert.Single(seen, m => m is ConnectionEvent { ConnectionKind: ConnectionKind.Out } e && e.Tuple.LocalPort == clientPort);
        Assert.Single(seen, m => m is ConnectionEvent { ConnectionKind: ConnectionKind.In } e && e.Tuple.RemotePort == clientPort);
        // Disposing publishes the last counts: nothing was skipped or lost, and the owner of every close was known.
        await probe.DisposeAsync();
        var stats = probe.Counters;
        Assert.Equal((0L, 0L, 0L), (stats.Malformed, stats.KernelLost, stats.HandlerFailures));
        Assert.Equal((0L, 0L, 0L, 0L), (probe.NetworkCounters.ConnectionsUntracked, probe.NetworkCounters.VolumeEntriesLost,
            probe.NetworkCounters.OwnersLost, probe.NetworkCounters.UnownedCloses));
    }

    [KernelFact]
    public async Task Udp_datagrams_of_known_sizes_are_counted_per_process_and_peer_on_both_sides()
    {
        KernelReady.Ensure();
        foreach (var (host, family) in new[] { ("127.0.0.1", SocketTuple.IPv4), ("::1", SocketTuple.IPv6) })
        {
            var seen = new ConcurrentQueue<Measurement>();
            await using var probe = NetworkProbe.Attach(Options(), new ProbeCounters());
            _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
            int[] sizes = [1, 100, 1000, 1472, 7];
            await using var server = NetPeer.Start("udp-server", host, sizes.Length);
            var bound = await server.ReadAsync();
            var port = bound.GetProperty("port").GetInt32();
            await using var client = NetPeer.Start("udp-client", host, port, sizes[0], sizes[1], sizes[2], sizes[3], sizes[4]);
            var c = await client.ReadAsync();
            var s = await server.ReadAsync();
            await Task.WhenAll(client.ExitAsync(), server.ExitAsync());
            var clientPort = c.GetProperty("local_port").GetInt32();
            Assert.Equal(sizes.Sum(), s.GetProperty("received").GetInt32());

            probe.CollectVolumes(seen.Enqueue);
            var clientVolume = Volume(seen, c.GetProperty("pid").GetInt32(), clientPort, port, "udp");
            var serverVolume = Volume(seen, bound.GetProperty("pid").GetInt32(), port, clientPort, "udp");
            Assert.Equal(((ulong)sizes.Sum(), 0UL, (ulong)sizes.Length), (clientVolume.Out, clientVolume.In, clientVolume.OutCalls));
            Assert.Equal((0UL, (ulong)sizes.Sum(), (ulong)sizes.Length), (serverVolume.Out, serverVolume.In, serverVolume.InCalls));
            var received = seen.OfType<VolumeEvent>().Single(v => v.ProcessId == bound.GetProperty("pid").GetInt32() && !v.Outbound);
            Assert.Equal(new SocketTuple(SocketTuple.Udp, family, IPAddress.Parse(host), port, IPAddress.Parse(host), clientPort), received.Tuple);
            Assert.Equal(bound.GetProperty("comm").GetString(), received.Tags.Get("process_str"));
            Assert.DoesNotContain(seen, m => m is ConnectionEvent e && e.Tuple.Protocol == "udp");
        }
    }

    [KernelFact]
    public async Task A_refused_connect_is_a_connection_out_with_ECONNREFUSED_and_no_close()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = NetworkProbe.Attach(Options(), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        foreach (var host in new[] { "127.0.0.1", "::1" })
        {
            var port = ClosedPort(host);
            await using var peer = NetPeer.Start("refused", host, port);
            var r = await peer.ReadAsync();
            await peer.ExitAsync();
            Assert.Equal(111, r.GetProperty("errno").GetInt32());
            var failed = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Out && e.Tuple.RemotePort == port, "refused connection.out");
            Assert.Equal("ECONNREFUSED", failed.Tags.Get("error_str"));
            Assert.Equal(r.GetProperty("pid").GetInt32(), failed.Owner!.ProcessId);
            Assert.Equal(host, failed.Tags.Get("d_ip"));
            Assert.DoesNotContain(seen, m => m is ConnectionEvent { ConnectionKind: ConnectionKind.Close } e && e.Tuple.RemotePort == port);
        }
    }

    [KernelFact]
    public async Task Process_str_is_the_main_threads_name_and_thread_str_the_calling_threads()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = NetworkProbe.Attach(Options(), new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await using var server = NetPeer.Start("tcp-server", "127.0.0.1", 10);
        var port = (await server.ReadAsync()).GetProperty("port").GetInt32();
        await using var client = NetPeer.Start("tcp-client", "127.0.0.1", port, 10, "isc-net-0000");
        var c = await client.ReadAsync();
        await server.ReadAsync();
        await Task.WhenAll(client.ExitAsync(), server.ExitAsync());

        var connOut = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Out && e.Tuple.RemotePort == port, "connection.out");
        Assert.Equal(c.GetProperty("comm").GetString(), connOut.Tags.Get("process_str"));
        Assert.Equal("isc-net-0000", connOut.Tags.Get("thread_str"));
        Assert.Equal(c.GetProperty("tid").GetInt32().ToString(), connOut.Tags.Get("thread_id"));
        probe.CollectVolumes(seen.Enqueue);
        var volume = seen.OfType<VolumeEvent>().First(v => v.ProcessId == c.GetProperty("pid").GetInt32());
        Assert.Equal(c.GetProperty("comm").GetString(), volume.Tags.Get("process_str"));
    }

    [KernelFact]
    public async Task Only_the_chosen_measurements_are_reported_and_the_ignored_process_not_at_all()
    {
        KernelReady.Ensure();
        var seen = new ConcurrentQueue<Measurement>();
        await using var server = NetPeer.Start("tcp-server", "127.0.0.1", 100);
        var listening = await server.ReadAsync();
        var port = listening.GetProperty("port").GetInt32();
        // The server is ignored in the kernel (like the agent itself by default); only closes are asked for.
        var options = Options(NetworkMeasurements.ConnectionClose) with { IgnoredProcessId = listening.GetProperty("pid").GetInt32() };
        await using var probe = NetworkProbe.Attach(options, new ProbeCounters());
        Assert.DoesNotContain(probe.Programs, p => p.Name.StartsWith("ingrain_net_send", StringComparison.Ordinal) && p.IsLoaded);
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await using var client = NetPeer.Start("tcp-client", "127.0.0.1", port, 100);
        var c = await client.ReadAsync();
        await Task.WhenAll(client.ExitAsync(), server.ExitAsync());

        await WaitForAsync<ConnectionEvent>(seen, e => e.Tuple.LocalPort == c.GetProperty("local_port").GetInt32(), "the client's close");
        probe.CollectVolumes(seen.Enqueue);
        Assert.All(seen, m => Assert.Equal(NetworkMeasurements.ConnectionClose, m.Name));
        Assert.DoesNotContain(seen, m => m is ConnectionEvent e && e.Tuple.LocalPort == port);
    }
}
