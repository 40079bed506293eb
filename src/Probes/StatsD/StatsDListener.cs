using System.Net;
using System.Net.Sockets;
using System.Text;
using Ingrain.Topology.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingrain.Probes.StatsD;

/// <summary>
/// The StatsD input probe's core: a UDP socket bound at construction (so <see cref="LocalEndPoint"/> is known at
/// once) and a receive loop that turns each datagram into measurements and hands them to a sink, one list per
/// datagram. Malformed lines, socket errors and a throwing sink are counted and logged (at most every 10 s), never
/// fatal: only cancellation or disposal ends <see cref="RunAsync"/>. The sink runs on the receive loop, so it must
/// not block (an actor's Tell, a channel write).
/// </summary>
public sealed class StatsDListener : IAsyncDisposable
{
    private const int MaxDatagram = 65535;
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RateLimitedLog _malformedLog;
    private DateTimeOffset _lastReceiveErrorLog = DateTimeOffset.MinValue;

    public StatsDListener(StatsDProbeOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid StatsD probe options: " + string.Join("; ", errors), nameof(options));
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _malformedLog = new RateLimitedLog(_logger, _time);
        var endPoint = options.BindEndPoint;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = options.ReceiveBufferBytes,
        };
        try
        {
            _socket.Bind(endPoint);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new InvalidOperationException(
                $"StatsD probe cannot listen on {options.Bind}: {e.Message}. Pick a free port with 'bind' or stop the other listener.", e);
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public StatsDListenerCounters Counters { get; } = new();

    /// <summary>Receives until <paramref name="cancellationToken"/> fires or the listener is disposed.</summary>
    public async Task RunAsync(Action<IReadOnlyList<Measurement>> sink, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Counters.AddReceiveError();
                LogReceiveError(e);
                await Task.Delay(1, CancellationToken.None).ConfigureAwait(false); // a persistent error must not spin a core
                continue;
            }
            Dispatch(buffer.AsSpan(0, length), sink);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, Action<IReadOnlyList<Measurement>> sink)
    {
        var measurements = new List<Measurement>();
        var result = StatsDLineParser.ParseDatagram(datagram, Measurement.NowNanos(_time), measurements);
        Counters.Add(result);
        if (result.Malformed > 0) LogMalformed(datagram, result.Malformed);
        if (measurements.Count == 0) return;
        try
        {
            sink(measurements);
        }
        catch (Exception e)
        {
            Counters.AddSinkFailure();
            _logger.LogError(e, "StatsD probe: the sink failed on {Count} measurements; they are lost", measurements.Count);
        }
    }

    // One line per 10 s with the count of the others; the sample is escaped, so a sender cannot forge log lines
    // (CR, LF) or drive the operator's terminal (ESC). Only when the line is logged is the sample decoded.
    private void LogMalformed(ReadOnlySpan<byte> datagram, int malformed)
    {
        var sample = LogText.Escape(datagram);
        _malformedLog.Log(malformed, "StatsD probe: malformed line skipped ({Total} so far), in \"{Sample}\"", () => [Counters.Malformed, sample]);
    }

    private void LogReceiveError(SocketException e)
    {
        var now = _time.GetUtcNow();
        if (now - _lastReceiveErrorLog < LogEvery) return;
        _lastReceiveErrorLog = now;
        _logger.LogWarning("StatsD probe: receive failed on {EndPoint} ({Error}; {Total} so far); continuing", LocalEndPoint, e.Message,
            Counters.ReceiveErrors);
    }

    public ValueTask DisposeAsync()
    {
        _malformedLog.Flush();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
