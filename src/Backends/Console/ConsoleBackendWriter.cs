using Ingrain.Model.Json;
using System.Buffers;

namespace Ingrain.Backends.Console;

/// <summary>
/// <c>console</c> backend: one JSON line per measurement on stdout (logs go to stderr). Each batch is encoded into
/// one buffer and written under a process-wide lock, so two console backends (two pipelines, or an old and a new
/// instance during a reload) never interleave parts of lines.
/// </summary>
public sealed class ConsoleBackendWriter(JsonLineEncoding encoding, Stream? output = null) : IBackendWriter
{
    private static readonly SemaphoreSlim StdoutLock = new(1, 1);

    private readonly Stream _output = output ?? System.Console.OpenStandardOutput();
    private readonly SemaphoreSlim _lock = output is null ? StdoutLock : new SemaphoreSlim(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public BackendCounters Counters { get; } = new();

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        MeasurementJsonPipeline.WriteLines(batch, encoding, _buffer);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
        Counters.AddSent(batch.Count);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => new(_output.FlushAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _output.FlushAsync().ConfigureAwait(false);
        if (output is null) await _output.DisposeAsync().ConfigureAwait(false);
    }
}
