using System.Globalization;

namespace Ingrain.Probes.Tls;

/// <summary>Names of TLS code points as the IANA registries spell them; a value not listed is shown as 0xHHHH.</summary>
internal static partial class TlsNames
{
    public const string Grease = "GREASE";

    private static readonly Dictionary<ushort, string> Extensions = new()
    {
        [0] = "server_name", [1] = "max_fragment_length", [5] = "status_request", [10] = "supported_groups",
        [11] = "ec_point_formats", [13] = "signature_algorithms", [14] = "use_srtp", [15] = "heartbeat",
        [16] = "application_layer_protocol_negotiation", [17] = "status_request_v2", [18] = "signed_certificate_timestamp",
        [19] = "client_certificate_type", [20] = "server_certificate_type", [21] = "padding", [22] = "encrypt_then_mac",
        [23] = "extended_master_secret", [27] = "compress_certificate", [28] = "record_size_limit",
        [34] = "delegated_credential", [35] = "session_ticket", [41] = "pre_shared_key", [42] = "early_data",
        [43] = "supported_versions", [44] = "cookie", [45] = "psk_key_exchange_modes", [47] = "certificate_authorities",
        [48] = "oid_filters", [49] = "post_handshake_auth", [50] = "signature_algorithms_cert", [51] = "key_share",
        [57] = "quic_transport_parameters", [17513] = "application_settings", [17613] = "application_settings",
        [65037] = "encrypted_client_hello", [65281] = "renegotiation_info",
    };

    private static readonly Dictionary<ushort, string> Groups = new()
    {
        [1] = "sect163k1", [2] = "sect163r1", [3] = "sect163r2", [4] = "sect193r1", [5] = "sect193r2", [6] = "sect233k1",
        [7] = "sect233r1", [8] = "sect239k1", [9] = "sect283k1", [10] = "sect283r1", [11] = "sect409k1", [12] = "sect409r1",
        [13] = "sect571k1", [14] = "sect571r1", [15] = "secp160k1", [16] = "secp160r1", [17] = "secp160r2",
        [18] = "secp192k1", [19] = "secp192r1", [20] = "secp224k1", [21] = "secp224r1", [22] = "secp256k1",
        [23] = "secp256r1", [24] = "secp384r1", [25] = "secp521r1", [26] = "brainpoolP256r1", [27] = "brainpoolP384r1",
        [28] = "brainpoolP512r1", [29] = "x25519", [30] = "x448", [31] = "brainpoolP256r1tls13",
        [32] = "brainpoolP384r1tls13", [33] = "brainpoolP512r1tls13", [256] = "ffdhe2048", [257] = "ffdhe3072",
        [258] = "ffdhe4096", [259] = "ffdhe6144", [260] = "ffdhe8192", [512] = "MLKEM512", [513] = "MLKEM768",
        [514] = "MLKEM1024", [4587] = "SecP256r1MLKEM768", [4588] = "X25519MLKEM768", [4589] = "SecP384r1MLKEM1024",
        [25497] = "X25519Kyber768Draft00",
    };

    /// <summary>GREASE (RFC 8701): 0x0A0A, 0x1A1A, … 0xFAFA, for cipher suites, extensions, groups and versions.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);

    public static string CipherSuite(ushort value) => Name(CipherSuites, value);

    public static string Extension(ushort value) => Name(Extensions, value);

    public static string Group(ushort value) => Name(Groups, value);

    /// <summary>A protocol version as people write it: 1.3, 1.2, 1.1, 1.0, SSL 3.0; else 0xHHHH.</summary>
    public static string Version(ushort value) => value switch
    {
        0x0304 => "1.3",
        0x0303 => "1.2",
        0x0302 => "1.1",
        0x0301 => "1.0",
        0x0300 => "SSL 3.0",
        0x0002 => "SSL 2.0",
        _ when IsGrease(value) => Grease,
        // TLS 1.3 drafts (0x7fNN) and anything else.
        _ => Hex(value),
    };

    public static string Hex(ushort value) => "0x" + value.ToString("x4", CultureInfo.InvariantCulture);

    private static string Name(Dictionary<ushort, string> names, ushort value) =>
        IsGrease(value) ? Grease : names.TryGetValue(value, out var name) ? name : Hex(value);
}
