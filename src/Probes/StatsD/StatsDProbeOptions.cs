using System.Net;

namespace Ingrain.Probes.StatsD;

/// <summary>Options of the StatsD input probe (HOCON <c>probe { type = statsd … }</c>).</summary>
public sealed record StatsDProbeOptions
{

    /// <summary>Address and UDP port to listen on (<c>bind</c>); port 0 picks a free one.</summary>
    public required string Bind { get; init; }

    /// <summary>Kernel receive buffer in bytes (<c>receive-buffer</c>); bursts beyond it are dropped by the kernel.</summary>
    public required int ReceiveBufferBytes { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IPEndPoint.TryParse(Bind, out var endPoint) || !Bind.Contains(':'))
            errors.Add($"bind: '{Bind}' is not an address:port (e.g. \"127.0.0.1:8125\" or \"[::1]:8125\")");
        else if (endPoint.Port is < 0 or > 65535)
            errors.Add($"bind: port {endPoint.Port} out of range");
        if (ReceiveBufferBytes < 64 * 1024) errors.Add($"receive-buffer: {ReceiveBufferBytes} must be at least 65536");
        return errors;
    }

    internal IPEndPoint BindEndPoint => IPEndPoint.Parse(Bind);
}
