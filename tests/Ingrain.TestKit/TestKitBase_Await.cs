namespace Ingrain.TestKit;

public abstract partial class TestKitBase
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="max"/>.</summary>
    public async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null,
        string? message = null)
    {
        var wait = RemainingOrDilated(max);
        var deadline = Now + wait;
        while (!condition())
        {
            if (Now >= deadline)
                throw Fail($"Timeout ({wait.TotalMilliseconds:0} ms) expired while awaiting condition{HintText(message)}");
            await Task.Delay(Min(interval ?? DefaultPollInterval, Max(deadline - Now, TimeSpan.FromMilliseconds(1)))).ConfigureAwait(false);
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing; after <paramref name="max"/> rethrows the
    /// last failure.</summary>
    public async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? max = null, TimeSpan? interval = null)
    {
        var deadline = Now + RemainingOrDilated(max);
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception) when (Now < deadline)
            {
                await Task.Delay(interval ?? DefaultPollInterval).ConfigureAwait(false);
            }
        }
    }

    public Task AwaitAssertAsync(Action assertion, TimeSpan? max = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, max, interval);

    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null) =>
        AwaitConditionAsync(condition, max, interval, message).GetAwaiter().GetResult();

    public void AwaitAssert(Action assertion, TimeSpan? max = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(assertion, max, interval).GetAwaiter().GetResult();
}
