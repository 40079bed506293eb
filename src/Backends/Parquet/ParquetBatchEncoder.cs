using System.Globalization;
using System.IO.Compression;
using Ingrain.Model.Json;
using Parquet;
using Parquet.Schema;

namespace Ingrain.Backends.Parquet;

/// <summary>
/// Writes a batch of measurements as one Parquet file (<see cref="MeasurementSchema"/>), in row groups of at most
/// <see cref="ParquetSettings.RowGroupSize"/> rows, one column at a time: only one column of one row group is buffered
/// at once (strings are the measurements' own, referenced, not copied), so a batch costs its encoded output plus about
/// 40 bytes per row-group row (docs/benchmarks.md, "Parquet").
/// </summary>
public sealed class ParquetBatchEncoder(ParquetSettings settings)
{
    private readonly ParquetOptions _options = new()
    {
        CompressionMethod = settings.Compression == ParquetCompression.Snappy ? CompressionMethod.Snappy : CompressionMethod.Zstd,
        CompressionLevel = CompressionLevel.Fastest,
        // Parquet.Net's stream pool keeps up to 16 + 64 MiB of freed buffers by default: far more than a batch needs.
        MaximumSmallPoolFreeBytes = 1024 * 1024,
        MaximumLargePoolFreeBytes = 4 * 1024 * 1024,
    };

    public ParquetSettings Settings { get; } = settings;

    /// <summary>The whole file for <paramref name="batch"/>, whose rows carry <paramref name="host"/>.</summary>
    public async Task<byte[]> EncodeAsync(IReadOnlyList<Measurement> batch, string host, CancellationToken ct = default)
    {
        using var output = new MemoryStream();
        await WriteAsync(batch, host, output, ct).ConfigureAwait(false);
        return output.ToArray();
    }

    /// <summary>Writes the file to <paramref name="output"/> (readable, writable and seekable: the footer is patched at the end).</summary>
    public async Task WriteAsync(IReadOnlyList<Measurement> batch, string host, Stream output, CancellationToken ct = default)
    {
        if (output.Position != 0) throw new ArgumentException("the Parquet file must start at the beginning of the stream", nameof(output));
        var columns = new RowGroupColumns(Math.Max(1, Math.Min(batch.Count, Settings.RowGroupSize)), host);
        // The stream must be readable and seekable too: the footer is rewritten once Parquet.Net is done (ParquetFooter).
        await using (var writer = await ParquetWriter.CreateAsync(MeasurementSchema.Schema, output, _options, cancellationToken: ct).ConfigureAwait(false))
        {
            for (var from = 0; from < batch.Count; from += Settings.RowGroupSize)
            {
                var rows = Math.Min(Settings.RowGroupSize, batch.Count - from);
                columns.Select(batch, from);
                using var group = writer.CreateRowGroup();
                await columns.WriteAsync(group, rows, ct).ConfigureAwait(false);
                group.CompleteValidate();
            }
        }
        ParquetFooter.MarkNanosecondTimestamp(output, MeasurementSchema.Timestamp.Name);
    }

    /// <summary>
    /// Builds and writes a row group one column at a time, into buffers shared by all columns: only one column's values
    /// exist at once (strings are the measurements' own, referenced, not copied).
    /// </summary>
    private sealed class RowGroupColumns(int capacity, string host)
    {
        private readonly long[] _longs = new long[capacity];
        private readonly double[] _doubles = new double[capacity];
        private readonly int[] _ints = new int[capacity];
        private readonly ReadOnlyMemory<char>[] _strings = new ReadOnlyMemory<char>[capacity];
        private readonly int[] _defs = new int[capacity];
        private readonly ReadOnlyMemory<char> _host = host.AsMemory();
        private IReadOnlyList<Measurement> _batch = [];
        private int _from;

        /// <summary>The rows of the next row group: <paramref name="batch"/> from <paramref name="from"/>.</summary>
        public void Select(IReadOnlyList<Measurement> batch, int from)
        {
            _batch = batch;
            _from = from;
        }

        private Measurement Row(int r) => _batch[_from + r];

        public async Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken ct)
        {
            for (var r = 0; r < rows; r++) _longs[r] = Row(r).Timestamp;
            await group.WriteAsync<long>(MeasurementSchema.Timestamp, _longs.AsMemory(0, rows), cancellationToken: ct).ConfigureAwait(false);
            for (var r = 0; r < rows; r++) _strings[r] = Row(r).Name.AsMemory();
            await WriteStringsAsync(group, MeasurementSchema.Name, rows, ct).ConfigureAwait(false);
            for (var r = 0; r < rows; r++) _strings[r] = MeasurementJson.KindName(Row(r).Kind).AsMemory();
            await WriteStringsAsync(group, MeasurementSchema.Kind, rows, ct).ConfigureAwait(false);

            var n = 0;
            for (var r = 0; r < rows; r++)
            {
                var v = Row(r).Value;
                _defs[r] = v.IsString ? 0 : 1;
                if (!v.IsString) _doubles[n++] = v.Number;
            }
            await group.WriteAllPartsAsync<double>(MeasurementSchema.Value, _doubles.AsMemory(0, n), _defs.AsMemory(0, rows), null, ct).ConfigureAwait(false);
            n = 0;
            for (var r = 0; r < rows; r++)
            {
                var v = Row(r).Value;
                _defs[r] = v.IsString ? 1 : 0;
                if (v.IsString) _strings[n++] = (v.Text ?? "").AsMemory();
            }
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(MeasurementSchema.ValueStr, _strings.AsMemory(0, n), _defs.AsMemory(0, rows), null, ct).ConfigureAwait(false);

            for (var r = 0; r < rows; r++) _strings[r] = Row(r).Value.UnitName.AsMemory();
            await WriteStringsAsync(group, MeasurementSchema.Unit, rows, ct).ConfigureAwait(false);
            Array.Fill(_strings, _host, 0, rows);
            await WriteStringsAsync(group, MeasurementSchema.Host, rows, ct).ConfigureAwait(false);

            for (var c = 0; c < MeasurementSchema.CommonTags.Count; c++) await WriteCommonTagAsync(group, c, rows, ct).ConfigureAwait(false);
            await WriteMapAsync(group, rows, ct).ConfigureAwait(false);
        }

        private Task WriteStringsAsync(ParquetRowGroupWriter group, DataField field, int rows, CancellationToken ct) =>
            group.WriteAsync<ReadOnlyMemory<char>>(field, _strings.AsMemory(0, rows), cancellationToken: ct);

        private async Task WriteCommonTagAsync(ParquetRowGroupWriter group, int column, int rows, CancellationToken ct)
        {
            var (key, type) = MeasurementSchema.CommonTags[column];
            var n = 0;
            for (var r = 0; r < rows; r++)
            {
                var value = Row(r).Tags.Get(key); // the first value of a repeated key, as in JSON
                long l = 0;
                _defs[r] = value is not null && TryParse(type, value, out l) ? 1 : 0;
                if (_defs[r] == 0) continue;
                switch (type)
                {
                    case MeasurementSchema.TagType.Int64: _longs[n++] = l; break;
                    case MeasurementSchema.TagType.Port: _ints[n++] = (int)l; break;
                    default: _strings[n++] = value!.AsMemory(); break;
                }
            }
            var field = MeasurementSchema.TagColumns[column];
            var defs = _defs.AsMemory(0, rows);
            await (type switch
            {
                MeasurementSchema.TagType.Int64 => group.WriteAllPartsAsync<long>(field, _longs.AsMemory(0, n), defs, null, ct),
                MeasurementSchema.TagType.Port => group.WriteAllPartsAsync<int>(field, _ints.AsMemory(0, n), defs, null, ct),
                _ => group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, _strings.AsMemory(0, n), defs, null, ct),
            }).ConfigureAwait(false);
        }

        /// <summary>Whether a common tag's value fits its column (a string always does); integers in <paramref name="number"/>.</summary>
        private static bool TryParse(MeasurementSchema.TagType type, string value, out long number)
        {
            number = 0;
            return type switch
            {
                MeasurementSchema.TagType.Int64 => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number),
                MeasurementSchema.TagType.Port => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number <= 65535,
                _ => true,
            };
        }

        /// <summary>
        /// The <c>tags</c> map: every tag without a column of its own, or whose value does not fit its column, first value
        /// of a repeated key only. Keys and values are written one after the other through the same buffers.
        /// </summary>
        private async Task WriteMapAsync(ParquetRowGroupWriter group, int rows, CancellationToken ct)
        {
            var slots = 0; // one level per map entry, or one for an empty map
            for (var r = 0; r < rows; r++) slots += Math.Max(1, MapEntries(Row(r).Tags.AsSpan(), null, 0, null));
            var values = new ReadOnlyMemory<char>[slots];
            var defs = new int[slots];
            var reps = new int[slots];
            foreach (var (field, keys, maxDef) in new[] { (MeasurementSchema.TagKey, true, 2), (MeasurementSchema.TagValue, false, 3) })
            {
                var n = 0;
                var slot = 0;
                for (var r = 0; r < rows; r++)
                {
                    var entries = MapEntries(Row(r).Tags.AsSpan(), values, n, keys);
                    if (entries == 0)
                    {
                        defs[slot] = 1; // an empty map, not a null one
                        reps[slot++] = 0;
                        continue;
                    }
                    for (var e = 0; e < entries; e++)
                    {
                        defs[slot] = maxDef;
                        reps[slot++] = e == 0 ? 0 : 1;
                    }
                    n += entries;
                }
                await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, values.AsMemory(0, n), defs.AsMemory(0, slot), reps.AsMemory(0, slot), ct).ConfigureAwait(false);
            }
        }

        /// <summary>Counts a row's map entries, and writes their keys (or values) to <paramref name="output"/> at <paramref name="at"/> when given.</summary>
        private static int MapEntries(ReadOnlySpan<KeyValuePair<string, string>> tags, ReadOnlyMemory<char>[]? output, int at, bool? keys)
        {
            var count = 0;
            for (var i = 0; i < tags.Length; i++)
            {
                var (key, value) = (tags[i].Key, tags[i].Value);
                if (KeySeenBefore(tags, i)) continue;
                var common = MeasurementSchema.CommonTagIndex(key);
                if (common >= 0 && TryParse(MeasurementSchema.CommonTags[common].Type, value, out _)) continue;
                if (output is not null) output[at + count] = (keys == true ? key : value).AsMemory();
                count++;
            }
            return count;
        }

        private static bool KeySeenBefore(ReadOnlySpan<KeyValuePair<string, string>> tags, int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (tags[j].Key == tags[index].Key) return true;
            }
            return false;
        }
    }
}
