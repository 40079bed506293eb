using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ingrain.Actors.Backends.Http;

/// <summary>
/// The Polly pipeline around one POST: a per-attempt timeout inside retries with exponential backoff and jitter.
/// Retried: network errors, timeouts, 408, 429 and 5xx; a <c>Retry-After</c> header (seconds or a date) replaces
/// the computed delay, capped at <see cref="HttpBackendOptions.RetryMaxDelay"/>. Other statuses are final.
/// </summary>
internal static class HttpRetryPipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Build(HttpBackendOptions options, BackendCounters counters,
        TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.RetryMaxDelay, time)),
                OnRetry = args =>
                {
                    counters.AddRetried();
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.AddTimeout(options.Timeout).Build();
    }

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException or IOException => true,
        null => outcome.Result is { } r && IsTransientStatus(r.StatusCode),
        _ => false,
    };

    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The server's <c>Retry-After</c> as a delay (capped), or null to use the computed backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        if (delay is null) return null;
        if (delay < TimeSpan.Zero) return TimeSpan.Zero;
        return delay > cap ? cap : delay;
    }
}
