using System.Collections.Concurrent;
using Ingrain.Probes.Dns;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>Shared pieces of the DNS probe's kernel tests.</summary>
internal static class DnsTestKit
{
    /// <summary>Every measurement, on the test server's port; the test process itself is not ignored.</summary>
    public static DnsProbeOptions Options(int port) => ProbeSettings.Dns with { Ports = [port], IgnoredProcessId = 0 };

    /// <summary>The measurements of one message id (name, direction, process), once <paramref name="done"/> holds for them.</summary>
    public static async Task<List<Measurement>> WaitForAsync(ConcurrentQueue<Measurement> seen, ushort id, Func<List<Measurement>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<Measurement> mine = [];
        while (DateTime.UtcNow < deadline)
        {
            mine = seen.Where(m => m.Tags.Get("dns_id") == id.ToString()).ToList();
            if (done(mine)) return mine;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"{what}: not within 10 s; for id {id} saw {mine.Count}:\n" +
            string.Join('\n', mine.Select(m => $"{m.Name} {m.Tags}")) + $"\n(all: {seen.Count})");
    }

    public static IEnumerable<Measurement> Named(this IEnumerable<Measurement> seen, string name, string direction, int pid) =>
        seen.Where(m => m.Name == name && m.Tags.Get("direction") == direction && m.Tags.Get("process_id") == pid.ToString());
}
