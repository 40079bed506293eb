using Parquet.Schema;

namespace Ingrain.Backends.Parquet;

/// <summary>
/// The Parquet schema of a measurement (docs/backends.md, "Parquet"), stable across versions: columns are only ever
/// added at the end of the common-tag list. The common tags have columns of their own so engines can prune row
/// groups and filter without opening the map; every other tag is in <c>tags</c>.
/// </summary>
public static class MeasurementSchema
{
    /// <summary>The type of a common-tag column.</summary>
    public enum TagType
    {
        /// <summary>INT64: a decimal integer that fits a signed 64-bit value.</summary>
        Int64,
        /// <summary>INT32: a port, 0–65535.</summary>
        Port,
        /// <summary>UTF-8 string, as it is.</summary>
        String,
    }

    /// <summary>Tags with a column of their own, in column order.</summary>
    public static readonly IReadOnlyList<(string Name, TagType Type)> CommonTags =
    [
        ("process_id", TagType.Int64),
        ("process_str", TagType.String),
        ("thread_id", TagType.Int64),
        ("thread_str", TagType.String),
        ("ppid_id", TagType.Int64),
        ("uid_id", TagType.Int64),
        ("gid_id", TagType.Int64),
        ("cgroup_id", TagType.Int64),
        ("container_id", TagType.String),
        ("path_str", TagType.String),
        ("s_ip", TagType.String),
        ("s_port", TagType.Port),
        ("d_ip", TagType.String),
        ("d_port", TagType.Port),
        ("proto", TagType.String),
        ("syscall_str", TagType.String),
    ];

    public static readonly DataField Timestamp = new DataField<long>("timestamp", false); // TIMESTAMP(NANOS, UTC): see ParquetFooter
    public static readonly DataField Name = new DataField<string>("name", false);
    public static readonly DataField Kind = new DataField<string>("kind", false);
    public static readonly DataField Value = new DataField<double>("value", true);
    public static readonly DataField ValueStr = new DataField<string>("value_str", true);
    public static readonly DataField Unit = new DataField<string>("unit", false);
    public static readonly DataField Host = new DataField<string>("host", false);

    public static readonly DataField[] TagColumns = CommonTags.Select(t => t.Type switch
    {
        TagType.Int64 => (DataField)new DataField<long>(t.Name, true),
        TagType.Port => new DataField<int>(t.Name, true),
        _ => new DataField<string>(t.Name, true),
    }).ToArray();

    public static readonly MapField Tags = new("tags", new DataField<string>("key", false), new DataField<string>("value", true));
    public static readonly DataField TagKey = (DataField)Tags.Key;
    public static readonly DataField TagValue = (DataField)Tags.Value;

    public static readonly ParquetSchema Schema = new([Timestamp, Name, Kind, Value, ValueStr, Unit, Host, .. TagColumns, Tags]);

    /// <summary>The index of <paramref name="tag"/> in <see cref="CommonTags"/>, or -1.</summary>
    public static int CommonTagIndex(string tag)
    {
        for (var i = 0; i < CommonTags.Count; i++)
        {
            if (CommonTags[i].Name == tag) return i;
        }
        return -1;
    }
}
