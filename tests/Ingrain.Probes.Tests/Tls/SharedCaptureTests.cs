using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Ingrain.Native;
using Ingrain.Probes.Dns;
using Ingrain.Probes.Packets;
using Ingrain.Probes.Tests.Dns;
using Ingrain.Probes.Tls;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>
/// The DNS and TLS probes running together share one packet capture: one pair of cgroup_skb programs in the kernel
/// (the same program ids, each attached once at the cgroup v2 root), two leases; both report what their peers did;
/// the capture stays while one lease is held and is unloaded with the last.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class SharedCaptureTests
{
    [Cgroup2Fact]
    public async Task Dns_and_tls_probes_share_one_capture_and_both_report()
    {
        KernelReady.Ensure();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        await using var server = await OpenSslServer.StartAsync("127.0.0.1");
        var seen = new ConcurrentQueue<Measurement>();
        var dns = DnsProbe.Attach(DnsTestKit.Options(dnsmasq.Port), new ProbeCounters());
        uint[] programs;
        await using (var tls = TlsProbe.Attach(TlsProbeTests.Options, new ProbeCounters()))
        {
            try
            {
                _ = dns.RunAsync(new QueueSink(seen), CancellationToken.None);
                _ = tls.RunAsync(new QueueSink(seen), CancellationToken.None);
                Assert.Equal(2, PacketCapture.Leases);
                programs = dns.Programs.Select(p => p.Id).Order().ToArray();
                Assert.Equal(2, programs.Length);
                Assert.Equal(programs, tls.Programs.Select(p => p.Id).Order().ToArray());
                // In the kernel: each of the two programs attached once at the root (other agents' programs may be there too).
                var attached = AttachedAtRoot(dns.Owners.CgroupRoot);
                Assert.Equal(programs, attached.Where(programs.Contains).Order().ToArray());

                var dig = await Dig.RunAsync("127.0.0.1", dnsmasq.Port, "a.test", "A");
                var client = await TlsClientRun.OpenSslAsync(server, "1.3", "both.server.test", "h2");
                var id = Assert.Single(dig.Ids);
                await DnsTestKit.WaitForAsync(seen, id, m => m.Count(x => x.Name == DnsMeasurements.Answer) == 2, "dns beside tls");
                var hellos = await TlsProbeTests.WaitForAsync(seen, m => m.Tags.Get("sni_list") == "both.server.test", 2, "tls beside dns");
                Assert.Contains(hellos, m => m.Tags.Get("process_id") == client.Pid.ToString(CultureInfo.InvariantCulture) && m.Tags.Get("direction") == "out");
                // Each probe got only its own records: nothing malformed on either side.
                Assert.Equal(0, dns.Counters.Malformed + tls.Counters.Malformed);
            }
            finally
            {
                await dns.DisposeAsync();
            }
            // The TLS probe's lease keeps the capture: same programs, still reporting.
            Assert.Equal(1, PacketCapture.Leases);
            Assert.All(programs, p => Assert.True(BpfIds.ProgramExists(p)));
            var after = await TlsClientRun.OpenSslAsync(server, "1.2", "after.server.test", "h2");
            await TlsProbeTests.WaitForAsync(seen, m => m.Tags.Get("sni_list") == "after.server.test", 2, "tls after dns left");
            _ = after;
        }
        Assert.Equal(0, PacketCapture.Leases);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (programs.Any(BpfIds.ProgramExists) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(programs.Any(BpfIds.ProgramExists), "a capture program is still loaded after the last lease");
    }

    private static List<uint> AttachedAtRoot(string root)
    {
        var (code, output) = OpenSslServer.Run("bpftool", "-j", "cgroup", "show", root);
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetUInt32()).ToList();
    }
}
