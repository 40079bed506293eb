using Ingrain.Native;
using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Kernel;

/// <summary>
/// What every kernel probe shares, so each probe keeps only its attach and its decoding: the loaded object and its
/// ring reader (if it has a ring: a probe that only reads maps, such as the syscalls probe, has none), a run that drains
/// the ring beside the probe's own periodic work, counters published every second and once more at the end, and a
/// release in the one safe order (stop, wait for the run, close the reader, unload, then whatever else the probe holds,
/// such as a lease on the socket owner map).
/// </summary>
internal sealed class KernelProbeRuntime : IAsyncDisposable
{
    private static readonly TimeSpan PublishEvery = TimeSpan.FromSeconds(1);

    private readonly string _type;
    private readonly IDisposable _object;
    private readonly Action _publish;
    private readonly ILogger? _logger;
    private readonly IDisposable[] _alsoOwned;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private bool _disposed;

    /// <param name="type">The probe type, for log lines.</param>
    /// <param name="obj">The loaded object, or what stands for it (a lease on a shared one, such as the packet capture).</param>
    /// <param name="reader">The object's ring reader; null for a probe without a ring (then <see cref="Run"/> takes no handler).</param>
    /// <param name="publish">Copies the reader's and decoder's counts into the probe's counters (never called concurrently).</param>
    /// <param name="alsoOwned">Released after the object, in order.</param>
    public KernelProbeRuntime(string type, IDisposable obj, RingBufferReader? reader, Action publish, ILogger? logger, params IDisposable[] alsoOwned)
    {
        _type = type;
        _object = obj;
        Reader = reader;
        _publish = publish;
        _logger = logger;
        _alsoOwned = alsoOwned;
    }

    public RingBufferReader? Reader { get; }

    public bool IsDisposed => _disposed;

    /// <summary>
    /// Drains the ring (if the probe has one) into <paramref name="handler"/> and runs <paramref name="periodic"/> (the
    /// probe's timers, if any) until cancelled or disposed; the returned task ends once both have and the counters were
    /// published a last time.
    /// </summary>
    public Task Run(RingRecordHandler? handler, CancellationToken cancellationToken, Func<CancellationToken, Task>? periodic = null)
    {
        if ((handler is null) != (Reader is null))
            throw new ArgumentException(Reader is null ? $"{_type} has no ring: run it without a handler" : $"{_type} has a ring: give its handler", nameof(handler));
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var tasks = new List<Task> { Task.Run(() => PublishAsync(linked.Token), CancellationToken.None) };
        if (Reader is not null && handler is not null) tasks.Add(Reader.RunAsync(handler, linked.Token));
        if (periodic is not null) tasks.Add(Task.Run(() => periodic(linked.Token), CancellationToken.None));
        _run = Task.WhenAll(tasks).ContinueWith(t =>
        {
            _publish();
            linked.Dispose();
            return t;
        }, TaskScheduler.Default).Unwrap();
        return _run;
    }

    // Kernel loss, malformed records and handler failures reach the status within a second.
    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PublishEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) _publish();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        if (_run is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger?.LogWarning(e, "{Type} probe reader failed", _type);
            }
        }
        else
        {
            _publish();
        }
        Reader?.Dispose();
        _object.Dispose();
        foreach (var owned in _alsoOwned) owned.Dispose();
        _stop.Dispose();
        _logger?.LogInformation("{Type} probe detached", _type);
    }
}
