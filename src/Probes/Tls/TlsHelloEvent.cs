using Ingrain.Probes.Network;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Tls;

/// <summary>
/// <c>tls.handshake.clienthello</c> or <c>tls.handshake.serverhello</c>: a counter of 1 with the hello's tags, the local
/// socket's process and the packet's endpoints (docs/probes.md). Tags are built on first use.
/// </summary>
/// <param name="Endpoints">The packet's source (<c>s_</c>) and destination (<c>d_</c>).</param>
/// <param name="Outbound">Sent by the local socket (<c>direction = out</c>); else received by it (<c>in</c>).</param>
public sealed record TlsHelloEvent : Measurement
{
    public TlsHelloEvent(long timestamp, TlsHello hello, SocketOwner? owner, SocketTuple endpoints, bool outbound)
        : base(timestamp, MeasurementKind.Counter, hello.IsClient ? TlsMeasurements.ClientHello : TlsMeasurements.ServerHello, MeasurementValue.Count(1))
    {
        Hello = hello;
        Owner = owner;
        Endpoints = endpoints;
        Outbound = outbound;
    }

    public TlsHello Hello { get; init; }

    public SocketOwner? Owner { get; init; }

    public SocketTuple Endpoints { get; init; }

    public bool Outbound { get; init; }

    protected override Tags BuildTags()
    {
        var h = Hello;
        var pairs = new List<KeyValuePair<string, string>>(24);
        NetworkTags.AddOwner(pairs, Owner);
        NetworkTags.AddTuple(pairs, Endpoints);
        pairs.Add(new("direction", Outbound ? "out" : "in"));
        pairs.Add(new("tls_version", TlsNames.Version(h.RecordVersion)));
        if (h.IsClient)
        {
            pairs.Add(new("client_version", TlsNames.Version(h.LegacyVersion)));
            pairs.Add(new("supported_versions", string.Join(',', h.SupportedVersions.Select(TlsNames.Version))));
            pairs.Add(new("ciphersuites_list", string.Join(',', h.CipherSuites.Select(TlsNames.CipherSuite))));
            pairs.Add(new("sni_list", string.Join(',', h.ServerNames)));
            pairs.Add(new("alpn_list", string.Join(',', h.Alpn)));
            pairs.Add(new("extensions_list", string.Join(',', h.Extensions.Select(TlsNames.Extension))));
            pairs.Add(new("groups_list", string.Join(',', h.Groups.Select(TlsNames.Group))));
            var ja3 = TlsFingerprints.Ja3String(h);
            pairs.Add(new("ja3", TlsFingerprints.Md5(ja3)));
            pairs.Add(new("ja3_str", ja3));
            pairs.Add(new("ja4", TlsFingerprints.Ja4(h)));
        }
        else
        {
            pairs.Add(new("server_version", TlsNames.Version(h.Version)));
            pairs.Add(new("ciphersuite_str", h.CipherSuites.Count > 0 ? TlsNames.CipherSuite(h.CipherSuites[0]) : ""));
            pairs.Add(new("alpn_str", h.Alpn.Count > 0 ? h.Alpn[0] : ""));
            pairs.Add(new("extensions_list", string.Join(',', h.Extensions.Select(TlsNames.Extension))));
            var ja3s = TlsFingerprints.Ja3SString(h);
            pairs.Add(new("ja3s", TlsFingerprints.Md5(ja3s)));
            pairs.Add(new("ja3s_str", ja3s));
            pairs.Add(new("ja4s", TlsFingerprints.Ja4S(h)));
        }
        return Tags.FromArray([.. pairs]);
    }
}
