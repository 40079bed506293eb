using Ingrain.Backends.Retry;
using System.Net.Http.Headers;
using Ingrain.Topology.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;

namespace Ingrain.Backends.Http;

/// <summary>
/// The HTTP backend writer: POSTs batches (by count, by bytes, or whatever is there at a flush) over a
/// keep-alive connection. A batch that still fails after its retries stays queued in memory, in order,
/// and is tried again at the next flush or full batch — up to <see cref="HttpBackendOptions.MaxPendingBytes"/>,
/// beyond which the oldest batches are dropped and counted. A batch the server rejects with a non-retryable
/// status (4xx other than 408/429) is dropped and counted at once. Delivery is at-least-once: a request whose
/// response is lost is sent again.
/// </summary>
public sealed class HttpBackendWriter : IBackendWriter
{
    private readonly HttpBackendOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly HttpBatchEncoder _encoder;
    private readonly Queue<HttpBatch> _pending = new();
    private readonly MediaTypeHeaderValue _contentType;
    private long _pendingBytes;
    private readonly OutagePause _pause;
    private readonly string _safeUri; // userinfo and query values hidden: the uri may carry credentials
    private readonly RateLimitedLog _unavailableLog, _queueFullLog, _rejectedLog;

    public HttpBackendWriter(HttpBackendOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid HTTP backend options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeout,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline's per-attempt timeout rules
        };
        _pipeline = HttpRetryPipeline.Build(options, Counters, _time);
        _pause = new OutagePause(options.RetryDelay, options.RetryMaxDelay, _time);
        _encoder = new HttpBatchEncoder(options.Encoding, options.Gzip);
        _contentType = new MediaTypeHeaderValue(options.Encoding == HttpBodyEncoding.Json ? "application/json" : "application/x-ndjson");
        _safeUri = Redaction.Uri(options.Uri);
        _unavailableLog = new RateLimitedLog(_logger, _time);
        _queueFullLog = new RateLimitedLog(_logger, _time);
        _rejectedLog = new RateLimitedLog(_logger, _time, LogLevel.Error);
    }

    public BackendCounters Counters { get; } = new();

    /// <summary>Measurements accepted but not yet delivered or dropped (in the open batch or queued).</summary>
    public long PendingMeasurements => _encoder.Count + _pending.Sum(b => (long)b.Count);

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        var sealedAny = false;
        for (var i = 0; i < batch.Count; i++)
        {
            _encoder.Append(batch[i]);
            if (_encoder.Count >= _options.BatchSize || _encoder.Bytes >= _options.BatchBytes)
            {
                Enqueue(_encoder.Seal()!);
                sealedAny = true;
            }
        }
        if (sealedAny) await SendPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Seals the open batch and tries to send everything queued, in order, unless the outage pause is on.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_encoder.Seal() is { } open) Enqueue(open);
        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives up what was never delivered (counted as dropped): call <see cref="FlushAsync"/> first.</summary>
    public ValueTask DisposeAsync()
    {
        var lost = PendingMeasurements;
        FlushLogs();
        if (lost > 0)
        {
            Counters.AddDropped(lost);
            _logger.LogWarning("HTTP backend: {Count} measurements not delivered to {Uri} before shutdown", lost, _safeUri);
        }
        _pending.Clear();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Enqueue(HttpBatch batch)
    {
        while (_pending.Count > 0 && _pendingBytes + batch.Body.Length > _options.MaxPendingBytes)
        {
            var oldest = _pending.Dequeue();
            _pendingBytes -= oldest.Body.Length;
            Counters.AddDropped(oldest.Count);
            _queueFullLog.Log("HTTP backend: pending queue full, dropped the oldest batch of {Count} measurements", oldest.Count);
        }
        _pending.Enqueue(batch);
        _pendingBytes += batch.Body.Length;
    }

    // While the server is failing, batches stay queued until the pause ends instead of running the whole retry
    // chain at every write and flush and stalling the serial writer.
    private async ValueTask SendPendingAsync(CancellationToken ct)
    {
        if (!_pause.Due) return;
        while (_pending.TryPeek(out var batch))
        {
            var outcome = await SendAsync(batch, ct).ConfigureAwait(false);
            if (outcome == SendOutcome.Unavailable) return;
            _pending.Dequeue();
            _pendingBytes -= batch.Body.Length;
            if (outcome == SendOutcome.Delivered) Counters.AddSent(batch.Count);
            else Counters.AddDropped(batch.Count);
        }
    }

    private async ValueTask<SendOutcome> SendAsync(HttpBatch batch, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Writer.AttemptAsync(state.Batch, token).ConfigureAwait(false),
                (Writer: this, Batch: batch), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException)
        {
            return Unavailable(e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return SendOutcome.Unavailable; // shutting down: the batch stays pending
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                _pause.Succeeded();
                FlushLogs(); // the outage is over: say how many warnings it was
                return SendOutcome.Delivered;
            }
            if (HttpRetryPipeline.IsTransientStatus(response.StatusCode)) return Unavailable($"status {(int)response.StatusCode}");
            _rejectedLog.Log("HTTP backend: {Uri} rejected a batch of {Count} measurements with status {Status}; dropped",
                _safeUri, batch.Count, (int)response.StatusCode);
            return SendOutcome.Rejected;
        }
    }

    private SendOutcome Unavailable(string reason)
    {
        _pause.Failed();
        _unavailableLog.Log("HTTP backend: {Uri} unavailable after retries ({Reason}); {Count} measurements kept for the next flush",
            _safeUri, Redaction.Text(reason), PendingMeasurements);
        return SendOutcome.Unavailable;
    }

    private async Task<HttpResponseMessage> AttemptAsync(HttpBatch batch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Uri);
        var content = new ByteArrayContent(batch.Body);
        content.Headers.ContentType = _contentType;
        if (_options.Gzip) content.Headers.ContentEncoding.Add("gzip");
        request.Content = content;
        foreach (var (name, value) in _options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        try
        {
            var response = await _client.SendAsync(request, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) Counters.AddFailed();
            return response;
        }
        catch
        {
            Counters.AddFailed();
            throw;
        }
    }

    private void FlushLogs()
    {
        _unavailableLog.Flush();
        _queueFullLog.Flush();
        _rejectedLog.Flush();
    }

    private enum SendOutcome
    {
        Delivered,
        Rejected,
        Unavailable,
    }
}
