using Polly;
using Polly.Retry;

namespace Ingrain.Backends.Retry;

/// <summary>The retry settings every network backend has: immediate retries, their backoff, and a per-attempt timeout.</summary>
internal sealed record RetrySettings(int MaxRetries, TimeSpan Delay, TimeSpan MaxDelay, TimeSpan AttemptTimeout);

/// <summary>
/// The one Polly pipeline around a backend's delivery attempt: a per-attempt timeout inside up to
/// <see cref="RetrySettings.MaxRetries"/> retries with exponential backoff and jitter, each retry counted in
/// <see cref="BackendCounters.Retried"/>. What is transient, and a server-given delay, are the backend's to say.
/// After the retries, the backend's <see cref="OutagePause"/> decides when the next delivery may try.
/// </summary>
internal static class BackendRetry
{
    /// <param name="isTransient">Whether an attempt's outcome is worth retrying.</param>
    /// <param name="serverDelay">A delay the peer asked for (e.g. <c>Retry-After</c>), or null for the computed backoff.</param>
    /// <param name="discard">Releases a result that is retried (e.g. disposes a failed HTTP response).</param>
    public static ResiliencePipeline<T> Pipeline<T>(RetrySettings settings, BackendCounters counters, TimeProvider time,
        Func<Outcome<T>, bool> isTransient, Func<T?, TimeSpan?>? serverDelay = null, Action<T?>? discard = null)
    {
        var builder = new ResiliencePipelineBuilder<T> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.Delay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(isTransient(args.Outcome)),
                DelayGenerator = serverDelay is null ? null : args => ValueTask.FromResult(serverDelay(args.Outcome.Result)),
                OnRetry = args =>
                {
                    counters.AddRetried();
                    discard?.Invoke(args.Outcome.Result);
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.AddTimeout(settings.AttemptTimeout).Build();
    }
}
