using System.Collections.Concurrent;
using System.Text.Json;
using Ingrain.Native;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Network;
using Ingrain.Probes.Sockets;
using Ingrain.Probes.Tests.Tls;
using Ingrain.Probes.Tls;
using Ingrain.TestSupport.Kernel;
using Xunit;
using static Ingrain.Probes.Tests.Network.NetworkTestKit;

namespace Ingrain.Probes.Tests.Network;

/// <summary>The shared socket owner map on the real kernel: seeded with sockets older than the agent, one set of hooks
/// for every probe holding a lease, everything unloaded with the last one.</summary>
[Collection(KernelCollection.Name)]
public sealed class SocketOwnersTests
{
    [KernelFact]
    public async Task A_connection_open_before_the_probe_is_owned_by_its_process_and_closes_with_all_its_bytes()
    {
        KernelReady.Ensure();
        const int before = 40_000, after = 2_345;
        await using var peer = NetPeer.Start("held", "127.0.0.1", before, after);
        var ready = await peer.ReadAsync();
        var pid = ready.GetProperty("pid").GetInt32();
        var clientPort = ready.GetProperty("client_port").GetInt32();
        var serverPort = ready.GetProperty("server_port").GetInt32();

        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = NetworkProbe.Attach(Options(), new ProbeCounters());
        Assert.True(probe.Owners.SocketMatching, "cgroup v2 socket matching is off on this machine");
        // The peer never asked for its sockets' cookies, so the seed had to make them (pidfd_getfd + SO_COOKIE).
        Assert.True(probe.Owners.Seed.WithoutCookie >= 2, $"seed found {probe.Owners.Seed}");
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);
        await peer.WriteLineAsync("go");
        Assert.Equal(after, (await peer.ReadAsync()).GetProperty("received").GetInt32());
        await peer.ExitAsync();

        var client = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Close && e.Tuple.LocalPort == clientPort, "client close");
        Assert.Equal((pid, SocketOwnerHook.Seed), (client.Owner!.ProcessId, client.Owner.Hook));
        Assert.Equal(ready.GetProperty("comm").GetString(), client.Tags.Get("process_str"));
        Assert.Equal(((ulong)(before + after), 0UL), (client.TxBytes, client.RxBytes));
        Assert.True(client.Partial);
        Assert.Equal("true", client.Tags.Get("partial"));
        Assert.Null(client.Tags.Get("duration_ns"));
        var server = await WaitForAsync<ConnectionEvent>(seen, e => e.ConnectionKind == ConnectionKind.Close && e.Tuple.LocalPort == serverPort, "server close");
        // Closed by its process before TCP_CLOSE (LAST_ACK): the owner is the task that closed it.
        Assert.Equal((pid, SocketOwnerHook.Close), (server.Owner!.ProcessId, server.Owner.Hook));
        Assert.Equal((0UL, (ulong)(before + after)), (server.TxBytes, server.RxBytes));

        // Volumes count from the probe's start: the bytes sent after it.
        probe.CollectVolumes(seen.Enqueue);
        Assert.Equal((ulong)after, Volume(seen, pid, clientPort, serverPort, "tcp").Out);
        Assert.Equal((ulong)after, Volume(seen, pid, serverPort, clientPort, "tcp").In);
    }

    [KernelFact]
    public async Task Probes_share_one_set_of_hooks_and_the_last_one_unloads_them()
    {
        KernelReady.Ensure();
        var first = NetworkProbe.Attach(Options(), new ProbeCounters());
        var second = NetworkProbe.Attach(Options(), new ProbeCounters());
        var hookPrograms = first.Owners.Programs.Where(p => p.IsLoaded).Select(p => p.Id).ToArray();
        var hookLinks = first.Owners.Links.Select(l => l.Id).ToArray();
        Assert.Equal(hookPrograms, second.Owners.Programs.Where(p => p.IsLoaded).Select(p => p.Id).ToArray());
        var networkPrograms = first.Programs.Concat(second.Programs).Where(p => p.IsLoaded).Select(p => p.Id).ToArray();
        var networkLinks = first.Links.Concat(second.Links).Select(l => l.Id).ToArray();
        Assert.All(hookLinks.Concat(networkLinks), id => Assert.True(id != 0 && BpfIds.LinkExists(id)));

        await first.DisposeAsync();
        Assert.All(hookPrograms, id => Assert.True(BpfIds.ProgramExists(id), "the hooks went away while a probe still holds a lease"));
        await second.DisposeAsync();
        Assert.True(await EventuallyAsync(() => !hookLinks.Concat(networkLinks).Any(BpfIds.LinkExists)), "a link is still attached");
        Assert.True(await EventuallyAsync(() => !hookPrograms.Concat(networkPrograms).Any(BpfIds.ProgramExists)), "a program is still loaded");
    }

    [KernelFact]
    public async Task Network_dns_and_tls_probes_share_one_set_of_hooks_attached_once_and_the_last_one_unloads_them()
    {
        KernelReady.Ensure();
        var network = NetworkProbe.Attach(Options(), new ProbeCounters());
        var dns = DnsProbe.Attach(ProbeSettings.Dns, new ProbeCounters());
        var tls = TlsProbe.Attach(TlsProbeTests.Options, new ProbeCounters());
        var hookPrograms = network.Owners.Programs.Where(p => p.IsLoaded).Select(p => p.Id).Order().ToArray();
        var hookLinks = network.Owners.Links.Select(l => l.Id).Order().ToArray();
        Assert.NotEmpty(hookPrograms);
        foreach (var owners in new[] { dns.Owners, tls.Owners })
        {
            Assert.Equal(hookPrograms, owners.Programs.Where(p => p.IsLoaded).Select(p => p.Id).Order().ToArray());
            Assert.Equal(hookLinks, owners.Links.Select(l => l.Id).Order().ToArray());
        }
        Assert.All(hookLinks, id => Assert.True(id != 0 && BpfIds.LinkExists(id)));
        // In the kernel: the hooks attached at the cgroup v2 root are there once, not once per probe.
        var atRoot = AttachedAtRoot(network.Owners.CgroupRoot).Where(hookPrograms.Contains).ToArray();
        Assert.NotEmpty(atRoot);
        Assert.Equal(atRoot.Distinct().Count(), atRoot.Length);
        // Each probe's own programs are its own: none of them is a hook program.
        var probePrograms = network.Programs.Concat(dns.Programs).Concat(tls.Programs).Where(p => p.IsLoaded).Select(p => p.Id).ToArray();
        Assert.DoesNotContain(probePrograms, hookPrograms.Contains);

        await network.DisposeAsync();
        await dns.DisposeAsync();
        Assert.All(hookPrograms, id => Assert.True(BpfIds.ProgramExists(id), "the hooks went away while the TLS probe still holds a lease"));
        Assert.All(hookLinks, id => Assert.True(BpfIds.LinkExists(id), "a hook was detached while the TLS probe still holds a lease"));
        await tls.DisposeAsync();
        Assert.True(await EventuallyAsync(() => !hookLinks.Any(BpfIds.LinkExists)), "a hook link is still attached");
        Assert.True(await EventuallyAsync(() => !hookPrograms.Concat(probePrograms).Any(BpfIds.ProgramExists)), "a program is still loaded");
    }

    private static List<uint> AttachedAtRoot(string root)
    {
        var (code, output) = OpenSslServer.Run("bpftool", "-j", "cgroup", "show", root);
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetUInt32()).ToList();
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
