using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ingrain.Probes.Tls;
using Ingrain.TestSupport.Kernel;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>
/// tshark on <c>lo</c> beside the probe while openssl s_client (TLS 1.2 and 1.3) and curl handshake with s_server at a
/// random port: for every ClientHello and ServerHello tshark decodes, the probe's report by the sending socket has the
/// same SNI, ALPN, cipher suites, JA3 (tshark's own <c>tls.handshake.ja3</c> and <c>ja3_full</c>) and JA3S.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class TlsTsharkFidelityTests(ITestOutputHelper output)
{
    private static readonly string[] Fields =
        ["tcp.srcport", "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.handshake.ja3", "tls.handshake.ja3_full",
         "tls.handshake.ciphersuite", "tls.handshake.extensions_alpn_str", "tls.handshake.ja3s", "tcp.dstport"];

    private const string Marker = "marker.server.test";

    [KernelFact]
    public async Task Every_hello_tshark_decodes_has_the_same_sni_alpn_cipher_suites_and_ja3()
    {
        KernelReady.Ensure();
        await using var server = await OpenSslServer.StartAsync("127.0.0.1");
        using var tshark = await StartTsharkAsync(server.Port);
        var rows = new ConcurrentQueue<string[]>();
        var reading = Task.Run(async () =>
        {
            while (await tshark.StandardOutput.ReadLineAsync() is { } line) rows.Enqueue(line.Split(';'));
        });
        // tshark says "Capturing on" a moment before it captures: handshakes with a marker name until it shows one.
        var markerDeadline = DateTime.UtcNow.AddSeconds(20);
        while (!rows.Any(r => r.Length == Fields.Length && r[2] == Marker))
        {
            if (DateTime.UtcNow > markerDeadline) throw new InvalidOperationException("tshark shows no marker hello after 20 s");
            await TlsClientRun.OpenSslAsync(server, "1.3", Marker, "h2");
        }
        var seen = new ConcurrentQueue<Measurement>();
        await using var probe = TlsProbe.Attach(TlsProbeTests.Options, new ProbeCounters());
        _ = probe.RunAsync(new QueueSink(seen), CancellationToken.None);

        var clients = 0;
        for (var i = 0; i < 10; i++)
        {
            await TlsClientRun.OpenSslAsync(server, i % 2 == 0 ? "1.3" : "1.2", $"c{i}.server.test", i % 3 == 0 ? "h2" : "h2,http/1.1");
            clients++;
        }
        await TlsClientRun.CurlAsync(server, "curl.server.test");
        clients++;

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Hellos(rows).Count < 2 * clients && DateTime.UtcNow < deadline) await Task.Delay(20);
        Tshark.Interrupt(tshark.Id);
        await tshark.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await reading;
        var hellos = Hellos(rows);
        Assert.True(hellos.Count == 2 * clients, $"tshark decoded {hellos.Count} hellos, expected {2 * clients}:\n{string.Join('\n', rows.Select(r => string.Join(';', r)))}");

        var reported = await TlsProbeTests.WaitForAsync(seen, m => m.Tags.Get("direction") == "out" && m.Tags.Get("sni_list") != Marker
                                                                    && (m.Tags.Get("d_port") == server.Port.ToString(CultureInfo.InvariantCulture) || m.Tags.Get("s_port") == server.Port.ToString(CultureInfo.InvariantCulture)),
            2 * clients, "the hellos tshark decoded");
        var matched = 0;
        foreach (var row in hellos)
        {
            var client = Type(row) == "1";
            var mine = reported.Where(m => m.Name == (client ? TlsMeasurements.ClientHello : TlsMeasurements.ServerHello)
                                           && m.Tags.Get("s_port") == row[0] && m.Tags.Get("d_port") == row[8]).ToList();
            var what = $"tshark {string.Join(';', row)}: probe {string.Join(" | ", mine.Select(m => m.Tags.ToString()))}";
            Assert.True(mine.Count == 1, what);
            var m = mine[0];
            var suites = row[5].Split(',').Select(s => TlsNames.CipherSuite(ParseU16(s))).ToList();
            if (client)
            {
                Assert.True(row[2] == m.Tags.Get("sni_list"), what);
                Assert.True(row[3] == m.Tags.Get("ja3"), what);
                Assert.True(row[4] == m.Tags.Get("ja3_str"), what);
                Assert.True(string.Join(',', suites) == m.Tags.Get("ciphersuites_list"), what);
                Assert.True(row[6] == m.Tags.Get("alpn_list"), what);
            }
            else
            {
                Assert.True(row[7] == m.Tags.Get("ja3s"), what);
                Assert.True(Assert.Single(suites) == m.Tags.Get("ciphersuite_str"), what);
                Assert.True(row[6] == m.Tags.Get("alpn_str"), what);
            }
            matched++;
        }
        Assert.Equal(2 * clients, matched);
        output.WriteLine($"tshark decoded {hellos.Count} hellos ({clients} ClientHellos, {clients} ServerHellos); the probe's sender-side reports agree on every one");
    }

    // The hellos of the handshakes after the markers: their ClientHellos (not the marker's name) and the ServerHellos
    // answering them (to their client ports). A marker's ServerHello whose ClientHello tshark missed — it started
    // capturing between the two — is left out by the same rule.
    private static List<string[]> Hellos(ConcurrentQueue<string[]> rows)
    {
        var all = rows.Where(r => r.Length == Fields.Length && Type(r) is "1" or "2").ToList();
        var clients = all.Where(r => Type(r) == "1" && r[2] != Marker).ToList();
        var clientPorts = clients.Select(r => r[0]).ToHashSet();
        return [.. clients, .. all.Where(r => Type(r) == "2" && clientPorts.Contains(r[8]))];
    }

    // A TLS 1.2 server's first segment holds ServerHello, Certificate, ServerKeyExchange, ServerHelloDone: "2,11,12,14".
    private static string Type(string[] row) => row[1].Split(',')[0];

    private static ushort ParseU16(string s) =>
        s.StartsWith("0x", StringComparison.Ordinal) ? ushort.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ushort.Parse(s, CultureInfo.InvariantCulture);

    private static Task<Process> StartTsharkAsync(int port) => Tshark.StartAsync(
        ["-f", $"tcp port {port}", "-d", $"tcp.port=={port},tls",
         "-Y", "tls.handshake.type == 1 || tls.handshake.type == 2", "-T", "fields", "-E", "separator=;", "-E", "aggregator=,"], Fields);
}
