using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Ingrain.Agent.Tests;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>, installed by <c>scripts/setup.sh --test</c>) on a free loopback
/// port, scraping one target every second into its own temporary storage; asked through its HTTP API.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly string _dir = Directory.CreateTempSubdirectory("ingrain-prometheus-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly System.Text.StringBuilder _log = new();

    public PrometheusServer(string target)
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus not found (/usr/bin/prometheus): run ./scripts/setup.sh --test");
        Port = FreePort();
        var config = Path.Combine(_dir, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: ingrain
                static_configs:
                  - targets: ["{target}"]
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_dir, "data")}",
                     $"--web.listen-address=127.0.0.1:{Port}", "--log.level=warn" })
            start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Port { get; }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>An instant query: each series' labels and value (empty while Prometheus has not scraped it yet).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, string Value)>> QueryAsync(string query)
    {
        try
        {
            var json = await _http.GetStringAsync($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(query)}");
            using var doc = JsonDocument.Parse(json);
            return [.. doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
                (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                r.GetProperty("value")[1].GetString()!))];
        }
        catch (HttpRequestException)
        {
            return []; // not listening yet
        }
    }

    /// <summary>Waits until <paramref name="query"/> has exactly one series with <paramref name="value"/>; returns its labels.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForAsync(string query, string value, TimeSpan max)
    {
        var deadline = DateTime.UtcNow + max;
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, string Value)> last = [];
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus exited ({_process.ExitCode}):\n{Log}");
            last = await QueryAsync(query);
            if (last.Count == 1 && last[0].Value == value) return last[0].Labels;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{query} did not become {value} within {max}; last: [{string.Join(", ", last.Select(r => r.Value))}]\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
