using System.Net;
using System.Net.Sockets;

namespace Ingrain.Backends.StatsD;

/// <summary>A connected datagram socket to a StatsD server: UDP to host:port, or a Unix datagram socket.</summary>
internal sealed class StatsDSocket : IDisposable
{
    private readonly Socket _socket;

    private StatsDSocket(Socket socket) => _socket = socket;

    public static async ValueTask<StatsDSocket> ConnectAsync(StatsDBackendOptions options, CancellationToken ct)
    {
        if (options.SocketPath is { } path)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                return new StatsDSocket(unix);
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        var address = IPAddress.TryParse(options.Host, out var literal)
            ? literal
            : await ResolveAsync(options.Host, ct).ConfigureAwait(false);
        var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await udp.ConnectAsync(new IPEndPoint(address, options.Port), ct).ConfigureAwait(false);
            return new StatsDSocket(udp);
        }
        catch
        {
            udp.Dispose();
            throw;
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken ct) =>
        _socket.SendAsync(datagram, SocketFlags.None, ct);

    public void Dispose() => _socket.Dispose();

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
               ?? addresses.FirstOrDefault()
               ?? throw new SocketException((int)SocketError.HostNotFound);
    }
}
