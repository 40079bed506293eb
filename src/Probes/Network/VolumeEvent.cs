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
            MeasurementValue.Bytes(bytes), BuildTags(processId, command, uid, tuple, interval))
    {
        Outbound = outbound;
        ProcessId = processId;
        Command = command;
        Tuple = tuple;
        Bytes = bytes;
        Calls = calls;
        Cookie = cookie;
    }

    public bool Outbound { get; init; }

    public int ProcessId { get; init; }

    /// <summary>The process's name (main thread's comm) when its first byte on this socket was counted.</summary>
    public string Command { get; init; }

    public SocketTuple Tuple { get; init; }

    public ulong Bytes { get; init; }

    /// <summary>How many sends (or receives) the bytes came in.</summary>
    public ulong Calls { get; init; }

    public ulong Cookie { get; init; }

    private static Tags BuildTags(int pid, string command, uint uid, SocketTuple t, TimeSpan interval)
    {
        var pairs = new List<KeyValuePair<string, string>>(10)
        {
            new("process_id", pid.ToString(CultureInfo.InvariantCulture)),
            new("process_str", command),
            new("uid_id", uid.ToString(CultureInfo.InvariantCulture)),
        };
        NetworkTags.AddTuple(pairs, t);
        pairs.Add(new("interval_ms", ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        return Tags.FromArray([.. pairs]);
    }
}
