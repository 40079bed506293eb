using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Ingrain.Actors.Tests.Backends.Peers;

/// <summary>
/// A real etsy StatsD 0.9.0 on loopback, with a flush interval of an hour so nothing resets while a test reads the
/// admin port. DogStatsD tags are folded into keys by etsy: <c>file.read;process=cat</c>.
/// </summary>
internal sealed partial class EtsyStatsDServer : IDisposable
{
    private readonly NodePeer _node;
    private readonly string _configPath;

    private EtsyStatsDServer(NodePeer node, string configPath, int port, int adminPort)
    {
        _node = node;
        _configPath = configPath;
        Port = port;
        AdminPort = adminPort;
    }

    public int Port { get; }
    public int AdminPort { get; }

    public static async Task<EtsyStatsDServer> StartAsync()
    {
        var modules = PeerPaths.NodeModules();
        var port = PeerPaths.FreeUdpPort();
        var adminPort = PeerPaths.FreeTcpPort();
        var config = Path.Combine(Path.GetTempPath(), $"ingrain-statsd-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(config,
            $"{{ port: {port}, address: \"127.0.0.1\", mgmt_port: {adminPort}, mgmt_address: \"127.0.0.1\", flushInterval: 3600000, backends: [] }}");
        var statsdDir = Path.Combine(modules, "statsd");
        var node = NodePeer.Start(Path.Combine(statsdDir, "stats.js"), [config], statsdDir);
        var server = new EtsyStatsDServer(node, config, port, adminPort);
        try
        {
            await PeerPaths.WaitForTcpAsync(adminPort, TimeSpan.FromSeconds(20), () => node.Output);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    public async Task<IReadOnlyDictionary<string, double>> CountersAsync() => Numbers(await AdminAsync("counters"));

    public async Task<IReadOnlyDictionary<string, double>> GaugesAsync() => Numbers(await AdminAsync("gauges"));

    public async Task<IReadOnlyDictionary<string, double[]>> TimersAsync()
    {
        var result = new Dictionary<string, double[]>();
        foreach (Match m in Entry().Matches(await AdminAsync("timers")))
        {
            var list = m.Groups["value"].Value.Trim().TrimStart('[').TrimEnd(']');
            result[Key(m)] = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        return result;
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds (UDP gives no receipt).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _node.Dispose();
        File.Delete(_configPath);
    }

    private async Task<string> AdminAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, AdminPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!text.ToString().Contains("END"))
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return text.ToString();
    }

    private static Dictionary<string, double> Numbers(string inspected)
    {
        var result = new Dictionary<string, double>();
        foreach (Match m in Entry().Matches(inspected))
            result[Key(m)] = double.Parse(m.Groups["value"].Value.Trim(), CultureInfo.InvariantCulture);
        return result;
    }

    private static string Key(Match m) => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value;

    // node's util.inspect of a flat object: { 'a.b': 7, plain: 1, 't.y': [ 12, 5 ] }
    [GeneratedRegex(@"(?:'(?<quoted>[^']+)'|(?<bare>[A-Za-z_$][\w$]*))\s*:\s*(?<value>\[[^\]]*\]|[^,\n{}\[\]]+)")]
    private static partial Regex Entry();
}
