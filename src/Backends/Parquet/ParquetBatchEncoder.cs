using System.Globalization;
using System.IO.Compression;
using Ingrain.Model.Json;
using Parquet;
using Parquet.Schema;

namespace Ingrain.Backends.Parquet;

/// <summary>
/// Writes a batch of measurements as one Parquet file (<see cref="MeasurementSchema"/>), in row groups of at most
/// <see cref="ParquetSettings.RowGroupSize"/> rows. Only one row group's column buffers exist at a time (values are
/// references to the measurements' own strings, not copies), so a batch costs its encoded output plus one row group
/// of buffers (docs/benchmarks.md, "Parquet").
/// </summary>
public sealed class ParquetBatchEncoder(ParquetSettings settings)
{
    private readonly ParquetOptions _options = new()
    {
        CompressionMethod = settings.Compression == ParquetCompression.Snappy ? CompressionMethod.Snappy : CompressionMethod.Zstd,
        CompressionLevel = CompressionLevel.Fastest,
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
        await using (var writer = await ParquetWriter.CreateAsync(MeasurementSchema.Schema, output, _options, cancellationToken: ct).ConfigureAwait(false))
        {
            for (var from = 0; from < batch.Count; from += Settings.RowGroupSize)
            {
                var rows = Math.Min(Settings.RowGroupSize, batch.Count - from);
                columns.Fill(batch, from, rows);
                using var group = writer.CreateRowGroup();
                await columns.WriteAsync(group, rows, ct).ConfigureAwait(false);
                group.CompleteValidate();
            }
        }
        ParquetFooter.MarkNanosecondTimestamp(output, MeasurementSchema.Timestamp.Name);
    }

    /// <summary>One row group's column values, reused for each row group of a batch.</summary>
    private sealed class RowGroupColumns
    {
        private readonly long[] _timestamps;
        private readonly ReadOnlyMemory<char>[] _names, _kinds, _units, _hosts, _valueStrs;
        private readonly double[] _values;
        private readonly int[] _valueDefs, _valueStrDefs;
        private readonly TagColumn[] _tags;
        private readonly List<ReadOnlyMemory<char>> _mapKeys = [], _mapValues = [];
        private readonly List<int> _mapDefs = [], _mapReps = [];
        private int _valueCount, _valueStrCount;

        public RowGroupColumns(int capacity, string host)
        {
            _timestamps = new long[capacity];
            _names = new ReadOnlyMemory<char>[capacity];
            _kinds = new ReadOnlyMemory<char>[capacity];
            _units = new ReadOnlyMemory<char>[capacity];
            _hosts = new ReadOnlyMemory<char>[capacity];
            Array.Fill(_hosts, host.AsMemory());
            _valueStrs = new ReadOnlyMemory<char>[capacity];
            _values = new double[capacity];
            _valueDefs = new int[capacity];
            _valueStrDefs = new int[capacity];
            _tags = MeasurementSchema.CommonTags.Select(t => new TagColumn(t.Type, capacity)).ToArray();
        }

        public void Fill(IReadOnlyList<Measurement> batch, int from, int rows)
        {
            _valueCount = _valueStrCount = 0;
            foreach (var t in _tags) t.Reset();
            _mapKeys.Clear();
            _mapValues.Clear();
            _mapDefs.Clear();
            _mapReps.Clear();
            for (var r = 0; r < rows; r++)
            {
                var m = batch[from + r];
                _timestamps[r] = m.Timestamp;
                _names[r] = m.Name.AsMemory();
                _kinds[r] = MeasurementJson.KindName(m.Kind).AsMemory();
                _units[r] = m.Value.UnitName.AsMemory();
                if (m.Value.IsString)
                {
                    _valueDefs[r] = 0;
                    _valueStrDefs[r] = 1;
                    _valueStrs[_valueStrCount++] = (m.Value.Text ?? "").AsMemory();
                }
                else
                {
                    _valueDefs[r] = 1;
                    _valueStrDefs[r] = 0;
                    _values[_valueCount++] = m.Value.Number;
                }
                AddTags(m.Tags.AsSpan(), r);
            }
        }

        private void AddTags(ReadOnlySpan<KeyValuePair<string, string>> tags, int row)
        {
            foreach (var t in _tags) t.Next(row);
            var inMap = 0;
            for (var i = 0; i < tags.Length; i++)
            {
                var (key, value) = (tags[i].Key, tags[i].Value);
                if (KeySeenBefore(tags, i)) continue; // a repeated key keeps its first value, as in JSON
                var common = MeasurementSchema.CommonTagIndex(key);
                if (common >= 0 && _tags[common].TrySet(row, value)) continue;
                // Not a common tag, or a common one whose value does not fit its column's type: kept in the map.
                _mapKeys.Add(key.AsMemory());
                _mapValues.Add(value.AsMemory());
                _mapDefs.Add(3);
                _mapReps.Add(inMap++ == 0 ? 0 : 1);
            }
            if (inMap == 0)
            {
                _mapDefs.Add(1); // an empty map (not a null one)
                _mapReps.Add(0);
            }
        }

        private static bool KeySeenBefore(ReadOnlySpan<KeyValuePair<string, string>> tags, int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (tags[j].Key == tags[index].Key) return true;
            }
            return false;
        }

        public async Task WriteAsync(ParquetRowGroupWriter group, int rows, CancellationToken ct)
        {
            await group.WriteAsync<long>(MeasurementSchema.Timestamp, _timestamps.AsMemory(0, rows), cancellationToken: ct).ConfigureAwait(false);
            await group.WriteAsync<ReadOnlyMemory<char>>(MeasurementSchema.Name, _names.AsMemory(0, rows), cancellationToken: ct).ConfigureAwait(false);
            await group.WriteAsync<ReadOnlyMemory<char>>(MeasurementSchema.Kind, _kinds.AsMemory(0, rows), cancellationToken: ct).ConfigureAwait(false);
            await group.WriteAllPartsAsync<double>(MeasurementSchema.Value, _values.AsMemory(0, _valueCount), _valueDefs.AsMemory(0, rows), null, ct).ConfigureAwait(false);
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(MeasurementSchema.ValueStr, _valueStrs.AsMemory(0, _valueStrCount), _valueStrDefs.AsMemory(0, rows), null, ct).ConfigureAwait(false);
            await group.WriteAsync<ReadOnlyMemory<char>>(MeasurementSchema.Unit, _units.AsMemory(0, rows), cancellationToken: ct).ConfigureAwait(false);
            await group.WriteAsync<ReadOnlyMemory<char>>(MeasurementSchema.Host, _hosts.AsMemory(0, rows), cancellationToken: ct).ConfigureAwait(false);
            for (var i = 0; i < _tags.Length; i++) await _tags[i].WriteAsync(group, MeasurementSchema.TagColumns[i], rows, ct).ConfigureAwait(false);
            var reps = _mapReps.ToArray();
            var keyDefs = _mapDefs.Select(d => Math.Min(d, 2)).ToArray();
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(MeasurementSchema.TagKey, _mapKeys.ToArray(), keyDefs, reps, ct).ConfigureAwait(false);
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(MeasurementSchema.TagValue, _mapValues.ToArray(), _mapDefs.ToArray(), reps, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One common-tag column: packed non-null values plus a definition level per row.</summary>
    private sealed class TagColumn(MeasurementSchema.TagType type, int capacity)
    {
        private readonly long[]? _longs = type == MeasurementSchema.TagType.Int64 ? new long[capacity] : null;
        private readonly int[]? _ints = type == MeasurementSchema.TagType.Port ? new int[capacity] : null;
        private readonly ReadOnlyMemory<char>[]? _strings = type == MeasurementSchema.TagType.String ? new ReadOnlyMemory<char>[capacity] : null;
        private readonly int[] _defs = new int[capacity];
        private int _count;

        public void Reset() => _count = 0;

        public void Next(int row) => _defs[row] = 0;

        /// <summary>Sets this row's value; false when it does not parse as the column's type.</summary>
        public bool TrySet(int row, string value)
        {
            switch (type)
            {
                case MeasurementSchema.TagType.Int64:
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return false;
                    _longs![_count] = l;
                    break;
                case MeasurementSchema.TagType.Port:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535) return false;
                    _ints![_count] = p;
                    break;
                default:
                    _strings![_count] = value.AsMemory();
                    break;
            }
            _count++;
            _defs[row] = 1;
            return true;
        }

        public Task WriteAsync(ParquetRowGroupWriter group, DataField field, int rows, CancellationToken ct) => type switch
        {
            MeasurementSchema.TagType.Int64 => group.WriteAllPartsAsync<long>(field, _longs.AsMemory(0, _count), _defs.AsMemory(0, rows), null, ct),
            MeasurementSchema.TagType.Port => group.WriteAllPartsAsync<int>(field, _ints.AsMemory(0, _count), _defs.AsMemory(0, rows), null, ct),
            _ => group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, _strings.AsMemory(0, _count), _defs.AsMemory(0, rows), null, ct),
        };
    }
}
