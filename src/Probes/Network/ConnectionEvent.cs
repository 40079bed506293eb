using System.Globalization;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Network;

/// <summary>What happened to a TCP connection.</summary>
public enum ConnectionKind
{
    /// <summary><c>connection.out</c>: a local process's connect finished, established or failed (<see cref="ConnectionEvent.Error"/>).</summary>
    Out,

    /// <summary><c>connection.in</c>: a local process accepted a connection.</summary>
    In,

    /// <summary><c>connection.close</c>: an established connection ended.</summary>
    Close,
}

/// <summary>
/// A TCP connection event: <c>connection.out</c>, <c>connection.in</c> or <c>connection.close</c>, a counter of 1 with
/// the owning process and the endpoints as tags (docs/probes.md lists them).
/// </summary>
public sealed record ConnectionEvent : Measurement
{
    public ConnectionEvent(long timestamp, ConnectionKind kind, SocketOwner? owner, SocketTuple tuple, ulong cookie,
        string? error = null, ulong txBytes = 0, ulong rxBytes = 0, ulong durationNs = 0, bool partial = false, string? remoteName = null)
        : base(timestamp, MeasurementKind.Counter, NameOf(kind), MeasurementValue.Count(1))
    {
        RemoteName = remoteName;
        ConnectionKind = kind;
        Owner = owner;
        Tuple = tuple;
        Cookie = cookie;
        Error = error;
        TxBytes = txBytes;
        RxBytes = rxBytes;
        DurationNs = durationNs;
        Partial = partial;
    }

    public ConnectionKind ConnectionKind { get; }

    /// <summary>The name the owning process (or, failing that, another local process) resolved to the remote address
    /// shortly before (the DNS probe's answers, docs/probes.md); null when none is known.</summary>
    public string? RemoteName { get; }

    /// <summary>The owning process; null when none was known (a connection closed before any process accepted it).</summary>
    public SocketOwner? Owner { get; }

    public SocketTuple Tuple { get; }

    /// <summary>The socket's cookie (the kernel's id for the socket, as <c>ss -e</c> shows it).</summary>
    public ulong Cookie { get; }

    /// <summary>connection.out only: the errno name that ended the handshake (<c>ECONNREFUSED</c>…); null when established.</summary>
    public string? Error { get; }

    public ulong TxBytes { get; }

    public ulong RxBytes { get; }

    public ulong DurationNs { get; }

    /// <summary>The connection began before the probe was attached: no duration.</summary>
    public bool Partial { get; }

    public static string NameOf(ConnectionKind kind) => kind switch
    {
        ConnectionKind.Out => NetworkMeasurements.ConnectionOut,
        ConnectionKind.In => NetworkMeasurements.ConnectionIn,
        _ => NetworkMeasurements.ConnectionClose,
    };

    // Built on the first read of Tags (see Measurement.BuildTags), from the fields above, which cannot change.
    protected override Tags BuildTags()
    {
        var pairs = new List<KeyValuePair<string, string>>(17);
        NetworkTags.AddOwner(pairs, Owner);
        NetworkTags.AddTuple(pairs, Tuple);
        if (RemoteName is not null) pairs.Add(new("d_name_str", RemoteName));
        if (Error is not null) pairs.Add(new("error_str", Error));
        if (ConnectionKind == ConnectionKind.Close)
        {
            pairs.Add(new("tx_bytes", TxBytes.ToString(CultureInfo.InvariantCulture)));
            pairs.Add(new("rx_bytes", RxBytes.ToString(CultureInfo.InvariantCulture)));
            if (!Partial) pairs.Add(new("duration_ns", DurationNs.ToString(CultureInfo.InvariantCulture)));
        }
        if (Partial) pairs.Add(new("partial", "true"));
        return Tags.FromArray([.. pairs]);
    }
}
