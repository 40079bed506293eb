using System.Globalization;

namespace Ingrain.Probes.Network;

/// <summary>
/// <c>volume.out</c> / <c>volume.in</c>: the bytes one process sent or received on one socket (and, for an unconnected
/// UDP socket, to or from one peer) during one interval, summed in the kernel. Unit byte.
/// </summary>
public sealed record VolumeEvent : Measurement
{
    public VolumeEvent(long timestamp, bool outbound, int processId, string command, uint uid, SocketTuple tuple, ulong bytes, ulong calls,
        TimeSpan interval, ulong cookie)
        : base(timestamp, MeasurementKind.Counter, outbound ? NetworkMeasurements.VolumeOut : NetworkMeasurements.VolumeIn,
            MeasurementValue.Bytes(bytes))
    {
        Outbound = outbound;
        ProcessId = processId;
        Command = command;
        Uid = uid;
        Interval = interval;
        Tuple = tuple;
        Bytes = bytes;
        Calls = calls;
        Cookie = cookie;
    }

    public bool Outbound { get; }

    public int ProcessId { get; }

    /// <summary>The process's name (main thread's comm) when its first byte on this socket was counted.</summary>
    public string Command { get; }

    public uint Uid { get; }

    public SocketTuple Tuple { get; }

    public ulong Bytes { get; }

    /// <summary>How many sends (or receives) the bytes came in.</summary>
    public ulong Calls { get; }

    public ulong Cookie { get; }

    /// <summary>The interval the bytes were summed over.</summary>
    public TimeSpan Interval { get; }

    // Built on the first read of Tags (see Measurement.BuildTags), from the fields above, which cannot change.
    protected override Tags BuildTags()
    {
        var pairs = new List<KeyValuePair<string, string>>(10)
        {
            new("process_id", ProcessId.ToString(CultureInfo.InvariantCulture)),
            new("process_str", Command),
            new("uid_id", Uid.ToString(CultureInfo.InvariantCulture)),
        };
        NetworkTags.AddTuple(pairs, Tuple);
        pairs.Add(new("interval_ms", ((long)Interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        return Tags.FromArray([.. pairs]);
    }
}
