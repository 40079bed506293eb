using System.Collections.Concurrent;
using Ingrain.Native;
using Ingrain.Probes.Network;
using Ingrain.Probes.Sockets;
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
