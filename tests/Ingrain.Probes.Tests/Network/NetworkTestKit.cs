using System.Collections.Concurrent;
using Ingrain.Probes.Network;

namespace Ingrain.Probes.Tests.Network;

/// <summary>Shared pieces of the network probe's kernel tests.</summary>
internal static class NetworkTestKit
{
    /// <summary>Every measurement; volumes read only when a test asks (<see cref="NetworkProbe.CollectVolumes"/>): the
    /// interval is an hour. The test process itself is not ignored, so nothing hides a wrong attribution.</summary>
    public static NetworkProbeOptions Options(params string[] measurements) =>
        ProbeSettings.Network with
        {
            Measurements = new HashSet<string>(measurements.Length == 0 ? NetworkMeasurements.All : measurements),
            VolumeInterval = TimeSpan.FromHours(1),
            IgnoredProcessId = 0,
        };

    public static async Task<T> WaitForAsync<T>(ConcurrentQueue<Measurement> seen, Func<T, bool> match, string what) where T : Measurement
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (seen.OfType<T>().FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"no {what} within 10 s; saw {seen.Count} measurements:\n" +
            string.Join('\n', seen.OfType<ConnectionEvent>().Take(50).Select(e => $"{e.Name} {e.Tags}")));
    }

    /// <summary>The volume events of one process on one socket (by local and remote port), summed per direction.</summary>
    public static (ulong Out, ulong In, ulong OutCalls, ulong InCalls) Volume(IEnumerable<Measurement> seen, int pid, int localPort, int remotePort, string proto)
    {
        var events = seen.OfType<VolumeEvent>()
            .Where(v => v.ProcessId == pid && v.Tuple.LocalPort == localPort && v.Tuple.RemotePort == remotePort && v.Tuple.Protocol == proto)
            .ToList();
        return ((ulong)events.Where(e => e.Outbound).Sum(e => (long)e.Bytes), (ulong)events.Where(e => !e.Outbound).Sum(e => (long)e.Bytes),
            (ulong)events.Where(e => e.Outbound).Sum(e => (long)e.Calls), (ulong)events.Where(e => !e.Outbound).Sum(e => (long)e.Calls));
    }

    /// <summary>A local port nobody listens on (bound, then closed).</summary>
    public static int ClosedPort(string host)
    {
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(host), 0));
        return ((System.Net.IPEndPoint)s.LocalEndPoint!).Port;
    }
}
