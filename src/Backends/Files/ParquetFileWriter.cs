using Ingrain.Backends.Parquet;
using Ingrain.Backends.Partitions;
using Ingrain.Topology.Security;
using Microsoft.Extensions.Logging;

namespace Ingrain.Backends.Files;

/// <summary>
/// <c>file</c> backend with <c>encoding = parquet</c>: measurements are gathered in memory and written as one Parquet
/// file when the file is rolled — after <see cref="ParquetFileOptions.RollInterval"/> (checked at each flush), at
/// <see cref="ParquetSettings.RowGroupSize"/> rows, and when the backend stops. A Parquet file is only readable once
/// its footer is written, so a file is written under a hidden temporary name (<c>.&lt;name&gt;.tmp</c>, which query
/// engines skip) and renamed into <c>&lt;path&gt;/dt=…/hour=…/host=…/&lt;ts&gt;-&lt;seq&gt;.parquet</c> — the S3 layout —
/// only when complete. A crash loses the rows not yet rolled (at most one roll interval); rows that cannot be written
/// when the writer is closed (the disk full, the directory gone) are counted as <c>writer.dropped</c>.
/// </summary>
public sealed class ParquetFileWriter : IBackendWriter
{
    private const string TempSuffix = ".tmp";

    private readonly string _directory;
    private readonly ParquetFileOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ParquetBatchEncoder _encoder;
    private readonly List<Measurement> _rows = [];
    private DateTimeOffset _firstRowAt;
    private int _sequence;

    public ParquetFileWriter(string directory, ParquetFileOptions options, ILogger logger, TimeProvider? time = null)
    {
        _directory = Path.GetFullPath(directory);
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _encoder = new ParquetBatchEncoder(options.Settings);
        Directory.CreateDirectory(_directory);
        foreach (var leftover in Directory.EnumerateFiles(_directory, "." + "*" + TempSuffix))
        {
            // A file cut short by a crash has no footer and cannot be read.
            _logger.LogWarning("file backend: deleting {Path}, a Parquet file left incomplete by an earlier run", leftover);
            File.Delete(leftover);
        }
    }

    public BackendCounters Counters { get; } = new();

    /// <summary>Rows gathered for the next file.</summary>
    public int Pending => _rows.Count;

    public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
    {
        var gathered = 0; // rows of this batch gathered and not yet in a file
        try
        {
            foreach (var m in batch)
            {
                if (_rows.Count == 0) _firstRowAt = _time.GetUtcNow();
                _rows.Add(m);
                gathered++;
                if (_rows.Count < _options.Settings.RowGroupSize) continue;
                await RollAsync().ConfigureAwait(false);
                gathered = 0;
            }
        }
        catch
        {
            // The backend retries the whole batch: take back its rows still gathered, so the retry does not add them
            // twice (the rows gathered before it stay for the next roll).
            _rows.RemoveRange(_rows.Count - gathered, gathered);
            throw;
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_rows.Count > 0 && _time.GetUtcNow() - _firstRowAt >= _options.RollInterval) await RollAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rows.Count == 0) return;
        try
        {
            await RollAsync().ConfigureAwait(false);
        }
        catch
        {
            // The last chance for these rows (the backend opens a new writer): they are lost, and counted so.
            Counters.AddDropped(_rows.Count);
            _rows.Clear();
            throw;
        }
    }

    /// <summary>Writes the gathered rows as one file. On failure the rows stay gathered for the next roll.</summary>
    private async Task RollAsync()
    {
        var relative = PartitionedKey.For("", _options.Host, _time.GetUtcNow(), _sequence++, ".parquet");
        var target = Path.Combine(_directory, relative);
        while (File.Exists(target)) target = Path.Combine(_directory, PartitionedKey.For("", _options.Host, _time.GetUtcNow(), _sequence++, ".parquet"));
        var temp = Path.Combine(_directory, "." + Path.GetFileName(target) + TempSuffix);
        try
        {
            var body = await _encoder.EncodeAsync(_rows, _options.Host).ConfigureAwait(false);
            await using (var file = SecureFile.Create(temp, SecureFile.OutputMode)) // 0640, never through a planted link
            {
                await file.WriteAsync(body).ConfigureAwait(false);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp, target);
        }
        catch
        {
            Counters.AddFailed();
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // deleted at the next start
            }
            throw;
        }
        Counters.AddSent(_rows.Count);
        _rows.Clear();
    }
}
