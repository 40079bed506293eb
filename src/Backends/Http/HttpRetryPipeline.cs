using Ingrain.Backends.Retry;
using System.Net;
using Polly;
using Polly.Timeout;

namespace Ingrain.Backends.Http;

/// <summary>
/// What HTTP adds to <see cref="BackendRetry"/> around one POST: which failures are transient, and the server's delay.
/// Retried: network errors, timeouts, 408, 429 and 5xx; a <c>Retry-After</c> header (seconds or a date) replaces
/// the computed delay, capped at <see cref="HttpBackendOptions.RetryMaxDelay"/>. Other statuses are final.
/// </summary>
internal static class HttpRetryPipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Build(HttpBackendOptions options, BackendCounters counters,
        TimeProvider time) =>
        BackendRetry.Pipeline<HttpResponseMessage>(
            new RetrySettings(options.MaxRetries, options.RetryDelay, options.RetryMaxDelay, options.Timeout), counters, time,
            IsTransient, response => RetryAfter(response, options.RetryMaxDelay, time), response => response?.Dispose());

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
