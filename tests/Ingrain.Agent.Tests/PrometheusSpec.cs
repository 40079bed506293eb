using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// <c>ingrain.agent.prometheus</c>: a real Prometheus scrapes the agent's <c>/metrics</c> and its HTTP API returns the
/// agent's counters with their values; <c>/healthz</c> and <c>/readyz</c> answer as an orchestrator expects.
/// </summary>
public sealed partial class PrometheusSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ingrain-prom-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "pipeline.hocon");
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"prometheus endpoint listening on http://(127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    private static async Task<string> EndpointOf(AgentProcess agent)
    {
        await agent.WaitForAsync(() => agent.Stderr, "prometheus endpoint listening on", TimeSpan.FromSeconds(30));
        return Listening().Match(agent.Stderr).Groups[1].Value;
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_counters_with_their_values()
    {
        // 37 measurements, then the probe stays attached and idle: the totals are known exactly.
        var path = Write($$"""
            ingrain {
              agent { watch-config = off, prometheus { enabled = on, listen = "127.0.0.1:0" } }
              probes.synth { type = synthetic, name = demo, rate = 1000, batch-size = 10, count = 37, pipelines = [out] }
              pipelines.out { steps = [ { type = filter, name = nothing, action = drop } ], backend { type = file, path = "{{_dir}}/out.ndjson" } }
            }
            """);
        using var agent = AgentProcess.Start("run", "--config", path);
        var endpoint = await EndpointOf(agent);
        using var prometheus = new PrometheusServer(endpoint);

        var max = TimeSpan.FromSeconds(60);
        await prometheus.WaitForAsync("up{job=\"ingrain\"}", "1", max);
        var labels = await prometheus.WaitForAsync("ingrain_probe_emitted_total{probe=\"synth\"}", "37", max);
        Assert.Equal(("ingrain.probes.synth", "synthetic"), (labels["component"], labels["type"]));
        await prometheus.WaitForAsync("ingrain_probe_attached{probe=\"synth\"}", "1", max);
        await prometheus.WaitForAsync("ingrain_probe_kernel_lost_total{probe=\"synth\"}", "0", max);
        await prometheus.WaitForAsync("ingrain_step_received_total{pipeline=\"out\",component=\"ingrain.pipelines.out.steps[0]\"}", "37", max);
        await prometheus.WaitForAsync("ingrain_step_emitted_total{pipeline=\"out\"}", "37", max);
        await prometheus.WaitForAsync("ingrain_writer_sent_total{pipeline=\"out\",type=\"file\"}", "37", max);
        await prometheus.WaitForAsync("ingrain_edge_queued_batches{component=\"ingrain.pipelines.out.backend\"}", "0", max);

        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Readyz_is_503_with_the_reason_while_a_probe_is_not_attached_and_healthz_is_200()
    {
        // A StatsD probe whose port is taken cannot attach (and keeps retrying with backoff).
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var config = $$"""
            ingrain {
              agent { watch-config = off, shutdown-timeout = 5s, prometheus { enabled = on, listen = "127.0.0.1:0" } }
              probes.synth { type = synthetic, name = demo, pipelines = [out] }
              probes.stats { type = statsd, bind = "127.0.0.1:{{port}}", restart { min-backoff = 200ms, max-backoff = 1s }, pipelines = [out] }
              pipelines.out { steps = [ { type = filter, name = demo, action = drop } ], backend.type = console }
            }
            """;
        using var agent = AgentProcess.Start("run", "--config", Write(config));
        var endpoint = await EndpointOf(agent);
        await agent.WaitForAsync(() => agent.Stderr, "could not attach", TimeSpan.FromSeconds(30));

        using var health = await _http.GetAsync($"http://{endpoint}/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await _http.GetAsync($"http://{endpoint}/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.StartsWith("probe stats: not attached (", body);
        Assert.Contains("ddress already in use", body);
        Assert.DoesNotContain("synth", body);
        var metrics = await _http.GetStringAsync($"http://{endpoint}/metrics");
        Assert.Contains("ingrain_probe_attached{component=\"ingrain.probes.stats\",probe=\"stats\",type=\"statsd\"} 0", metrics);

        // Once the port is free, the probe attaches on its next try and the agent is ready.
        taken.Close();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpStatusCode code;
        do
        {
            await Task.Delay(200);
            using var again = await _http.GetAsync($"http://{endpoint}/readyz");
            code = again.StatusCode;
        }
        while (code != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, code);
        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Off_by_default()
    {
        var path = Write("ingrain { agent.watch-config = off, probes.s { type = synthetic, name = x, count = 1, pipelines = [p] }, pipelines.p.backend.type = console }");
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stderr, "running 1 probe(s)", TimeSpan.FromSeconds(30));
        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("prometheus endpoint", agent.Stderr);
    }
}
