using Ingrain.Backends.Files;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Actors.Tests.Backends;

/// <summary>
/// The Parquet file writer when its directory cannot be written (here: removed under it): a failed roll keeps the
/// rows for the next roll without counting a batch twice, and rows still unwritten when the writer is closed are
/// counted as dropped, so sent + dropped is every measurement it was given.
/// </summary>
public sealed class ParquetFileWriterLossTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ingrain-parquet-loss-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static Measurement[] Rows(int from, int count) =>
        Enumerable.Range(from, count).Select(i => new Measurement(1_800_000_000_000_000_000 + i, MeasurementKind.Counter, "file.open",
            MeasurementValue.Count(1), Tags.Of(("process_id", i.ToString(System.Globalization.CultureInfo.InvariantCulture))))).ToArray();

    private ParquetFileWriter Writer(int rowGroupSize) =>
        new(_dir, new ParquetFileOptions(ComponentSettings.S3.Parquet with { RowGroupSize = rowGroupSize }, TimeSpan.FromMinutes(5), "host-a"), NullLogger.Instance);

    [Fact]
    public async Task Rows_that_cannot_be_written_when_the_writer_closes_are_counted_dropped()
    {
        var writer = Writer(1000);
        await writer.WriteAsync(Rows(0, 300), CancellationToken.None);
        Directory.Delete(_dir, recursive: true);

        await Assert.ThrowsAnyAsync<IOException>(() => writer.DisposeAsync().AsTask());

        Assert.Equal(0, writer.Counters.Sent);
        Assert.Equal(300, writer.Counters.Dropped);
        Assert.Equal(1, writer.Counters.Failed);
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task A_roll_that_fails_inside_a_write_takes_back_that_batchs_rows_for_its_retry()
    {
        var writer = Writer(100);
        await writer.WriteAsync(Rows(0, 40), CancellationToken.None); // gathered, no roll yet
        var gone = _dir + ".gone";
        Directory.Move(_dir, gone);

        // 40 + 80 reaches the row group: the roll fails, the 80 are taken back (the backend retries the batch).
        await Assert.ThrowsAnyAsync<IOException>(() => writer.WriteAsync(Rows(40, 80), CancellationToken.None).AsTask());
        Assert.Equal(40, writer.Pending);

        // The directory is back; the retried batch is gathered once: one file of 100 rows, 20 still gathered.
        Directory.Move(gone, _dir);
        await writer.WriteAsync(Rows(40, 80), CancellationToken.None);
        Assert.Equal(100, writer.Counters.Sent);
        Assert.Equal(20, writer.Pending);
        await writer.DisposeAsync();
        Assert.Equal(120, writer.Counters.Sent);
        Assert.Equal(0, writer.Counters.Dropped);
        Assert.Equal(2, Directory.GetFiles(_dir, "*.parquet", SearchOption.AllDirectories).Length);
    }
}
