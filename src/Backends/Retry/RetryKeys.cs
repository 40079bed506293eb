namespace Ingrain.Backends.Retry;

/// <summary>The retry keys (HOCON) the HTTP and S3 backends share.</summary>
internal sealed record RetryKeys(int MaxRetries, TimeSpan Delay, TimeSpan MaxDelay)
{
    public static RetryKeys Read(ConfigSection s) =>
        new(s.Int("max-retries"), s.Duration("retry-delay"), s.Duration("retry-max-delay"));
}
