namespace Ingrain.Backends.StatsD;

/// <summary>How histogram measurements are sent: <c>|h</c> (agent-side histogram) or <c>|d</c> (Datadog distribution).</summary>
public enum StatsDHistogramType
{
    Histogram,
    Distribution,
}

/// <summary>
/// Options of the StatsD / DogStatsD backend (HOCON <c>backend { type = statsd … }</c>).
/// Defaults live in src/Topology/reference.hocon (and are documented in docs/configuration.md).
/// </summary>
public sealed record StatsDBackendOptions
{
    /// <summary>Largest payload of one UDP datagram over IPv4.</summary>
    public const int MaxUdpPayload = 65507;

    /// <summary>StatsD server host name or address (<c>host</c>); ignored when <see cref="SocketPath"/> is set.</summary>
    public required string Host { get; init; }

    /// <summary>StatsD server UDP port (<c>port</c>).</summary>
    public required int Port { get; init; }

    /// <summary>Unix datagram socket of the server (<c>socket-path</c>), e.g. the Datadog agent's <c>dsd.socket</c>.</summary>
    public string? SocketPath { get; init; }

    /// <summary>Prepended to every name with a dot (<c>prefix</c>); empty for none.</summary>
    public required string Prefix { get; init; }

    /// <summary>Datagram size the packer fills up to (<c>max-packet-size</c>).</summary>
    public required int MaxPacketSize { get; init; }

    /// <summary>StatsD type of histogram measurements (<c>histogram-type = histogram | distribution</c>).</summary>
    public required StatsDHistogramType HistogramType { get; init; }

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SocketPath is null)
        {
            if (string.IsNullOrWhiteSpace(Host)) errors.Add("host: must not be empty (or set socket-path)");
            if (Port is < 1 or > 65535) errors.Add($"port: {Port} is not a UDP port (1-65535)");
        }
        else if (SocketPath.Length == 0)
        {
            errors.Add("socket-path: must not be empty when set");
        }
        if (MaxPacketSize is < 64 or > MaxUdpPayload)
            errors.Add($"max-packet-size: {MaxPacketSize} must be between 64 and {MaxUdpPayload} bytes");
        if (Prefix.AsSpan().IndexOfAny(":|@#\n") >= 0)
            errors.Add($"prefix: '{Prefix}' must not contain ':', '|', '@', '#' or a newline");
        return errors;
    }
}
