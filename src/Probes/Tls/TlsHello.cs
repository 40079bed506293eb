namespace Ingrain.Probes.Tls;

/// <summary>What the probe reads from a ClientHello or a ServerHello (values as sent, GREASE included, in order).</summary>
/// <param name="RecordVersion">The record layer's version (<c>tls_version</c>).</param>
/// <param name="LegacyVersion">The hello's own version field (<c>client_version</c>; for a server, the version
/// unless <paramref name="SupportedVersions"/> names the selected one).</param>
/// <param name="CipherSuites">A client's offer; a server's one choice.</param>
/// <param name="Extensions">Extension types in the order sent.</param>
/// <param name="SupportedVersions">supported_versions: a client's list; a server's selected version (one value).</param>
/// <param name="SignatureAlgorithms">signature_algorithms, in order (JA4).</param>
public sealed record TlsHello(
    bool IsClient,
    ushort RecordVersion,
    ushort LegacyVersion,
    IReadOnlyList<ushort> CipherSuites,
    IReadOnlyList<ushort> Extensions,
    IReadOnlyList<ushort> SupportedVersions,
    IReadOnlyList<string> ServerNames,
    IReadOnlyList<string> Alpn,
    IReadOnlyList<ushort> Groups,
    IReadOnlyList<byte> EcPointFormats,
    IReadOnlyList<ushort> SignatureAlgorithms)
{
    /// <summary>The version in use: a server's supported_versions choice when present (TLS 1.3 says 1.3 there, not in its
    /// legacy field); for a client, the highest non-GREASE version it offers, else its legacy version.</summary>
    public ushort Version
    {
        get
        {
            ushort best = 0;
            foreach (var v in SupportedVersions)
                if (!TlsNames.IsGrease(v) && v > best) best = v;
            return best != 0 ? best : LegacyVersion;
        }
    }
}
