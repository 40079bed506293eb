using System.Buffers;
using Ingrain.Actors.Backends.Console;
using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Backends.Files;

/// <summary>
/// <c>file</c> backend: the console's NDJSON lines appended to a file, with size-based rotation and a retention
/// count. Rotation happens between lines, never inside one; a single line larger than the limit still gets a file
/// of its own. Every batch is handed to the OS before <see cref="WriteAsync"/> returns (no fsync).
/// </summary>
public sealed class FileBackendWriter : IBackendWriter
{
    private readonly FileBackendOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly List<Measurement> _one = [null!];
    private FileStream _file;

    public FileBackendWriter(FileBackendOptions options)
    {
        _options = options;
        var dir = Path.GetDirectoryName(Path.GetFullPath(options.Path));
        if (dir is not null) Directory.CreateDirectory(dir);
        _file = Open();
    }

    public BackendCounters Counters { get; } = new();

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        foreach (var m in batch)
        {
            _one[0] = m;
            var before = _buffer.WrittenCount;
            MeasurementJsonPipeline.WriteLines(_one, _options.Encoding, _buffer);
            if (_file.Length + _buffer.WrittenCount > _options.MaxBytes && _file.Length + before > 0)
            {
                // Write what fits in the current file, then start a new one with this line.
                await _file.WriteAsync(_buffer.WrittenMemory[..before], cancellationToken).ConfigureAwait(false);
                var line = _buffer.WrittenMemory[before..].ToArray();
                _buffer.ResetWrittenCount();
                _buffer.Write(line);
                await RotateAsync().ConfigureAwait(false);
            }
        }
        await _file.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
        Counters.AddSent(batch.Count);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => new(_file.FlushAsync(cancellationToken));

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    private FileStream Open() => new(_options.Path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);

    private async Task RotateAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        var oldest = $"{_options.Path}.{_options.MaxFiles}";
        if (File.Exists(oldest)) File.Delete(oldest);
        for (var i = _options.MaxFiles - 1; i >= 1; i--)
        {
            var from = $"{_options.Path}.{i}";
            if (File.Exists(from)) File.Move(from, $"{_options.Path}.{i + 1}");
        }
        if (_options.MaxFiles > 0) File.Move(_options.Path, $"{_options.Path}.1");
        else File.Delete(_options.Path);
        _file = Open();
    }
}
