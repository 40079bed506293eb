namespace Ingrain.TestKit;

public abstract partial class TestKitBase
{
    private TimeSpan? _end;
    private bool _lastWasNoMsg;

    /// <summary>Time left in the innermost Within block; the dilated default outside one.</summary>
    public TimeSpan Remaining => _end is { } end ? Max(end - Now, TimeSpan.Zero) : Dilated(TestKitSettings.SingleExpectDefault);

    /// <summary>An explicit <paramref name="max"/> (dilated), capped by the Within deadline, or <see cref="Remaining"/>.</summary>
    protected TimeSpan RemainingOrDilated(TimeSpan? max)
    {
        if (max is not { } m) return Remaining;
        var dilated = Dilated(m);
        return _end is null ? dilated : Min(dilated, Remaining);
    }

    /// <summary>Runs <paramref name="block"/>, which must finish within <paramref name="max"/> (dilated). Expect calls
    /// inside without an explicit timeout wait at most for the time remaining; blocks nest, each bounded by the
    /// outer one. A trailing ExpectNoMsg does not count as "too slow".</summary>
    public Task WithinAsync(TimeSpan max, Func<Task> block) => WithinAsync(TimeSpan.Zero, max, block);

    public async Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var start = Now;
        var allowed = _end is null ? Dilated(max) : Min(Dilated(max), Remaining);
        var previousEnd = _end;
        _end = start + allowed;
        _lastWasNoMsg = false;
        try
        {
            await block().ConfigureAwait(false);
        }
        finally
        {
            _end = previousEnd;
        }
        var took = Now - start;
        if (took < min)
            throw Fail($"block took {took.TotalMilliseconds:0} ms, should at least have been {min.TotalMilliseconds:0} ms");
        if (!_lastWasNoMsg && took > allowed)
            throw Fail($"block took {took.TotalMilliseconds:0} ms, exceeding {allowed.TotalMilliseconds:0} ms");
    }

    public async Task<T> WithinAsync<T>(TimeSpan max, Func<Task<T>> block)
    {
        T result = default!;
        await WithinAsync(TimeSpan.Zero, max, async () => result = await block().ConfigureAwait(false)).ConfigureAwait(false);
        return result;
    }

    public void Within(TimeSpan max, Action block) => WithinAsync(max, () =>
    {
        block();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
