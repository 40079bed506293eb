using System.Globalization;

namespace Ingrain.Probes.Dns;

/// <summary>The names of DNS record types, classes and response codes (IANA registries); any other value is its number.</summary>
public static class DnsNames
{
    public const ushort TypeA = 1, TypeNs = 2, TypeCname = 5, TypeSoa = 6, TypePtr = 12, TypeMx = 15, TypeTxt = 16,
        TypeAaaa = 28, TypeSrv = 33, TypeDname = 39, TypeOpt = 41;

    private static readonly Dictionary<ushort, string> Types = new()
    {
        [1] = "A", [2] = "NS", [5] = "CNAME", [6] = "SOA", [12] = "PTR", [13] = "HINFO", [15] = "MX", [16] = "TXT",
        [17] = "RP", [18] = "AFSDB", [28] = "AAAA", [29] = "LOC", [33] = "SRV", [35] = "NAPTR", [39] = "DNAME", [41] = "OPT",
        [43] = "DS", [44] = "SSHFP", [46] = "RRSIG", [47] = "NSEC", [48] = "DNSKEY", [50] = "NSEC3", [51] = "NSEC3PARAM",
        [52] = "TLSA", [59] = "CDS", [60] = "CDNSKEY", [61] = "OPENPGPKEY", [64] = "SVCB", [65] = "HTTPS", [99] = "SPF",
        [249] = "TKEY", [250] = "TSIG", [251] = "IXFR", [252] = "AXFR", [255] = "ANY", [256] = "URI", [257] = "CAA",
    };

    private static readonly Dictionary<ushort, string> Classes = new() { [1] = "IN", [3] = "CH", [4] = "HS", [254] = "NONE", [255] = "ANY" };

    private static readonly string[] Rcodes =
    [
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
        "DSOTYPENI", "12", "13", "14", "15", "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE",
    ];

    public static string Type(ushort type) => Types.TryGetValue(type, out var name) ? name : type.ToString(CultureInfo.InvariantCulture);

    public static string Class(ushort @class) => Classes.TryGetValue(@class, out var name) ? name : @class.ToString(CultureInfo.InvariantCulture);

    /// <summary>The response code, extended by EDNS0's upper 8 bits when an OPT record carried them.</summary>
    public static string Rcode(int rcode) => rcode >= 0 && rcode < Rcodes.Length ? Rcodes[rcode] : rcode.ToString(CultureInfo.InvariantCulture);
}
