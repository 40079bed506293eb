using Ingrain.Topology.Logging;
using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingrain.Backends.StatsD;

/// <summary>
/// The StatsD / DogStatsD backend writer: formats each measurement with the StatsD type of its kind and packs
/// as many lines as fit into one datagram of at most <see cref="StatsDBackendOptions.MaxPacketSize"/> bytes.
/// StatsD is fire-and-forget: a datagram the socket refuses is counted as failed and its measurements as dropped;
/// nothing is buffered across calls, so <see cref="FlushAsync"/> has nothing to do.
/// </summary>
public sealed class StatsDBackendWriter : IBackendWriter
{
    private readonly StatsDBackendOptions _options;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _outageLog;
    private readonly StatsDLineFormatter _formatter;
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private readonly byte[] _packet;
    private int _packetLength;
    private int _packetMeasurements;
    private StatsDSocket? _socket;
    private bool _failing;

    public StatsDBackendWriter(StatsDBackendOptions options, ILogger? logger = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid StatsD backend options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _outageLog = new RateLimitedLog(_logger, TimeProvider.System);
        _formatter = new StatsDLineFormatter(options.Prefix, options.HistogramType);
        _packet = new byte[options.MaxPacketSize];
    }

    public BackendCounters Counters { get; } = new();

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            _line.ResetWrittenCount();
            if (!_formatter.TryWrite(_line, batch[i]))
            {
                Counters.AddDropped(1);
                continue;
            }
            var line = _line.WrittenMemory;
            var needed = _packetLength == 0 ? line.Length : _packetLength + 1 + line.Length;
            if (needed > _packet.Length) await SendPacketAsync(cancellationToken).ConfigureAwait(false);

            if (line.Length > _packet.Length)
            {
                // Longer than the packing limit: sent alone (the network may still carry it, up to 64 KiB).
                await SendAsync(line, 1, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (_packetLength > 0) _packet[_packetLength++] = (byte)'\n';
            line.Span.CopyTo(_packet.AsSpan(_packetLength));
            _packetLength += line.Length;
            _packetMeasurements++;
        }
        await SendPacketAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => SendPacketAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _socket = null;
        return ValueTask.CompletedTask;
    }

    private async ValueTask SendPacketAsync(CancellationToken ct)
    {
        if (_packetLength == 0) return;
        var length = _packetLength;
        var count = _packetMeasurements;
        _packetLength = 0;
        _packetMeasurements = 0;
        await SendAsync(_packet.AsMemory(0, length), count, ct).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, int measurements, CancellationToken ct)
    {
        try
        {
            _socket ??= await StatsDSocket.ConnectAsync(_options, ct).ConfigureAwait(false);
            await _socket.SendAsync(datagram, ct).ConfigureAwait(false);
            Counters.AddSent(measurements);
            if (_failing)
            {
                _failing = false;
                _outageLog.Flush();
                _logger.LogInformation("StatsD backend: sending to {Target} again", Target);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Counters.AddFailed();
            Counters.AddDropped(measurements);
            // A Unix socket whose server restarted needs a new connection; UDP just keeps going.
            if (_options.SocketPath is not null)
            {
                _socket?.Dispose();
                _socket = null;
            }
            if (!_failing)
            {
                // Once per outage, and at most once per 10 s however often it flaps.
                _failing = true;
                _outageLog.Log("StatsD backend: cannot send to {Target} ({Error}); dropping until it works again",
                    Target, e.Message);
            }
        }
    }

    private string Target => _options.SocketPath ?? $"{_options.Host}:{_options.Port}";
}
