using Ingrain.Model.Json;
using System.Buffers;
using Ingrain.Topology.Security;

namespace Ingrain.Backends.Files;

/// <summary>
/// <c>file</c> backend: the console's NDJSON lines appended to a file, with size-based rotation and a retention
/// count. Rotation happens between lines, never inside one; a single line larger than the limit still gets a file
/// of its own. Every batch is handed to the OS before <see cref="WriteAsync"/> returns (no fsync).
/// </summary>
public sealed class FileBackendWriter : IBackendWriter
{
    private readonly FileBackendOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private FileStream _file;
    private bool _device;
    private long _size; // bytes in the current file, kept here rather than asking the OS (fstat) per line

    public FileBackendWriter(FileBackendOptions options)
    {
        _options = options;
        var dir = Path.GetDirectoryName(Path.GetFullPath(options.Path));
        if (dir is not null) Directory.CreateDirectory(dir);
        Open();
    }

    public BackendCounters Counters { get; } = new();

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var m in batch)
            {
                var before = _buffer.WrittenCount;
                MeasurementJsonPipeline.WriteLine(m, _options.Encoding, _buffer);
                if (!_device && _size + _buffer.WrittenCount > _options.MaxBytes && _size + before > 0)
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
            _size += _buffer.WrittenCount;
        }
        catch
        {
            // A failed write may have left part of the batch in the file: take the size from the OS again.
            _size = _file.Length;
            throw;
        }
        finally
        {
            _buffer.ResetWrittenCount();
        }
        Counters.AddSent(batch.Count);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => new(_file.FlushAsync(cancellationToken));

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_file))]
    private void Open()
    {
        _file = SecureFile.OpenAppend(_options.Path, SecureFile.OutputMode); // 0640, never through a planted link
        _size = _file.Length;
        _device = !Posix.Stat(_file.SafeFileHandle).IsRegular; // /dev/null: written, never rotated (renamed)
    }

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
        Open();
    }
}
