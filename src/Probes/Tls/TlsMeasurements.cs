namespace Ingrain.Probes.Tls;

/// <summary>The TLS probe's measurement names (a contract: docs/probes.md).</summary>
public static class TlsMeasurements
{
    public const string ClientHello = "tls.handshake.clienthello";
    public const string ServerHello = "tls.handshake.serverhello";
}
