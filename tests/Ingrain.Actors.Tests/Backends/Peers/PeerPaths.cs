using System.Net;
using System.Net.Sockets;
using Ingrain.TestSupport;

namespace Ingrain.Actors.Tests.Backends.Peers;

/// <summary>Where the real test peers live, and free loopback ports for them.</summary>
internal static class PeerPaths
{
    /// <summary>tests/peers/node_modules of the checkout; fails (never skips) when the peers are not installed.</summary>
    public static string NodeModules()
    {
        var modules = Path.Combine(RepoPaths.Root, "tests", "peers", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "statsd")) || !Directory.Exists(Path.Combine(modules, "s3rver")))
            throw new InvalidOperationException($"test peers missing in {modules}: run ./scripts/setup.sh --test");
        return modules;
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitForTcpAsync(int port, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"peer did not listen on port {port} within {timeout}: {e.Message}\n{diagnostics()}");
            }
        }
    }
}
