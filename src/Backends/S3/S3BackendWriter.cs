using Ingrain.Topology.Logging;
using Ingrain.Backends.Retry;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Ingrain.Backends.Partitions;

namespace Ingrain.Backends.S3;

/// <summary>
/// The S3 backend writer: gathers measurements until the batch is full (<see cref="S3OpenBatch"/>: NDJSON up to
/// <see cref="S3BackendOptions.MaxBatchSize"/> bytes, gzipped; or Parquet up to a row group) or a flush, and uploads
/// it under a partitioned key (<see cref="PartitionedKey"/>).
/// A batch that still fails after its immediate retries goes to the durable <see cref="S3Spool"/>; while the spool
/// holds anything, new batches queue behind it (order kept, the store not hammered) and the spool is retried at
/// flushes with growing pauses. Batches spooled by an earlier run of the agent are uploaded by the next one.
/// <see cref="DisposeAsync"/> spools the open batch without touching the network, so a shutdown is
/// "<see cref="FlushAsync"/> with a deadline, then dispose": what could not be uploaded in time is on disk.
/// </summary>
public sealed class S3BackendWriter : IBackendWriter
{
    private readonly S3BackendOptions _options;
    private readonly IAmazonS3 _s3;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<PutObjectResponse> _pipeline;
    private readonly OutagePause _spoolRetry;
    private readonly RateLimitedLog _uploadFailedLog;
    private readonly S3OpenBatch _open;
    private int _sequence;

    public S3BackendWriter(S3BackendOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid S3 backend options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _s3 = S3ClientFactory.Create(options);
        _pipeline = BackendRetry.Pipeline<PutObjectResponse>(
            new RetrySettings(options.MaxRetries, options.RetryDelay, options.RetryMaxDelay, options.UploadTimeout), Counters, _time,
            outcome => outcome.Exception is not null and not OperationCanceledException);
        _spoolRetry = new OutagePause(options.RetryDelay, options.RetryMaxDelay, _time);
        _uploadFailedLog = new RateLimitedLog(_logger, _time);
        _open = S3OpenBatch.For(options);
        try
        {
            Spool = new S3Spool(options.SpoolDirectory, options.SpoolMaxSize, Counters, _logger);
        }
        catch
        {
            _s3.Dispose();
            throw;
        }
        if (Spool.Count > 0)
            _logger.LogInformation("S3 backend: {Count} spooled batches from an earlier run will be uploaded", Spool.Count);
    }

    public BackendCounters Counters { get; } = new();

    /// <summary>The durable spool (read its size for status and tests).</summary>
    public S3Spool Spool { get; }

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (_open.Add(batch[i])) await DeliverAsync(await SealOpenAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes and uploads the open batch, then retries the spool if its pause is over.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_open.Count > 0) await DeliverAsync(await SealOpenAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await DrainSpoolAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_open.Count > 0)
        {
            var (key, count, body) = await SealOpenAsync().ConfigureAwait(false);
            Spool.TryAdd(key, count, body);
        }
        _uploadFailedLog.Flush();
        Spool.Dispose();
        _s3.Dispose();
    }

    private async ValueTask<(string Key, int Count, byte[] Body)> SealOpenAsync()
    {
        var key = PartitionedKey.For(_options.Prefix, _options.Host, _time.GetUtcNow(), _sequence++, _open.Extension);
        var count = _open.Count;
        return (key, count, await _open.SealAsync(CancellationToken.None).ConfigureAwait(false));
    }

    private async ValueTask DeliverAsync((string Key, int Count, byte[] Body) batch, CancellationToken ct)
    {
        if (Spool.Count > 0 || !_spoolRetry.Due)
        {
            Spool.TryAdd(batch.Key, batch.Count, batch.Body);
            return;
        }
        if (await TryUploadAsync(batch.Key, batch.Body, ct).ConfigureAwait(false))
        {
            Counters.AddSent(batch.Count);
            return;
        }
        _spoolRetry.Failed();
        Spool.TryAdd(batch.Key, batch.Count, batch.Body);
    }

    private async ValueTask DrainSpoolAsync(CancellationToken ct)
    {
        while (Spool.Count > 0 && _spoolRetry.Due && !ct.IsCancellationRequested)
        {
            Spool.TryPeekOldest(out var spooled);
            var body = Spool.Read(spooled);
            if (body is null) continue;
            Counters.AddRetried();
            if (!await TryUploadAsync(spooled.Key, body, ct).ConfigureAwait(false))
            {
                _spoolRetry.Failed();
                return;
            }
            _spoolRetry.Succeeded();
            _uploadFailedLog.Flush(); // the outage is over: say how many failures it was
            Spool.Remove(spooled);
            Counters.AddSent(spooled.Count);
        }
    }

    private async ValueTask<bool> TryUploadAsync(string key, byte[] body, CancellationToken ct)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Writer.PutAsync(state.Key, state.Body, token).ConfigureAwait(false),
                (Writer: this, Key: key, Body: body), ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false; // shutdown deadline: the caller spools the batch
        }
        catch (Exception e)
        {
            _uploadFailedLog.Log("S3 backend: upload of {Key} to bucket {Bucket} failed ({Error}); spooled for a later retry",
                key, _options.Bucket, Redaction.Text(e.Message));
            return false;
        }
    }

    private async Task<PutObjectResponse> PutAsync(string key, byte[] body, CancellationToken ct)
    {
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            return await _s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                InputStream = stream,
                AutoCloseStream = false,
                ContentType = S3OpenBatch.ContentTypeOf(key), // a spooled batch may be of an earlier run's encoding
                UseChunkEncoding = false, // chunked signing corrupts objects on some S3-compatible stores
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Counters.AddFailed();
            throw;
        }
    }
}
