namespace Ingrain.Probes.Network;

/// <summary>Linux errno values a TCP handshake ends with, by their C names (<c>error_str</c>).</summary>
internal static class ErrnoNames
{
    public static string Of(uint errno) => errno switch
    {
        1 => "EPERM",
        13 => "EACCES",
        22 => "EINVAL",
        32 => "EPIPE",
        71 => "EPROTO",
        98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL",
        100 => "ENETDOWN",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        112 => "EHOSTDOWN",
        113 => "EHOSTUNREACH",
        _ => $"errno {errno}",
    };
}
