using System.Net;
using System.Net.Sockets;
using System.Text;
using Ingrain.Backends.Http;
using Ingrain.Topology.Logging;
using Ingrain.Probes.StatsD;
using Ingrain.TestSupport;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// Issue 10 items 6, 8 and 12: secrets in the HTTP uri were in every outage warning; an outage logged every dropped
/// batch; the StatsD malformed-line warning echoed raw CR and ESC bytes (any local sender could forge log lines) and
/// said "(1 so far)" after a 100k flood.
/// </summary>
public sealed class LogSafetySpec : IDisposable
{
    private const string SecretUri = "http://user:PASSW0RD@127.0.0.1:9/x?api_key=KEY123&tenant=t1";
    private readonly HostileDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(SecretUri, "http://***@127.0.0.1:9/x?api_key=***&tenant=***")]
    [InlineData("https://collector.example/v1?token", "https://collector.example/v1?***")]
    [InlineData("https://collector.example/v1", "https://collector.example/v1")]
    [InlineData("s3://AKIA:SECRET@bucket/x#frag", "s3://***@bucket/x#***")]
    public void Redaction_hides_userinfo_and_query_values(string uri, string expected) =>
        Assert.Equal(expected, Redaction.Uri(new Uri(uri)));

    [Fact]
    public void Redaction_of_text_also_covers_uris_the_parser_refuses()
    {
        var text = Redaction.Text("failed: http://u:p@w@@[bad/x?k=SECRET and https://ok.example/?a=1");
        Assert.DoesNotContain("SECRET", text);
        Assert.DoesNotContain("u:p", text);
        Assert.Contains("https://ok.example/?a=***", text);
    }

    [Fact]
    public async Task An_http_outage_never_logs_the_credentials_and_logs_at_most_one_line_per_window()
    {
        var logger = new CapturingLogger();
        var options = Settings.Http with
        {
            Uri = new Uri(SecretUri), MaxRetries = 0, BatchSize = 1, BatchBytes = 1024, MaxPendingBytes = 1024,
            RetryDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1),
        };
        var writer = new HttpBackendWriter(options, logger);
        var m = new Measurement(1, MeasurementKind.Counter, "x", MeasurementValue.Count(1), Tags.Of(("k", new string('v', 600))));
        for (var i = 0; i < 200; i++)
        {
            await writer.WriteAsync([m, m], default); // two batches of 1: the second pushes the first out of the queue
            await writer.FlushAsync(default);
        }
        await writer.DisposeAsync();

        var lines = logger.Lines;
        Assert.All(lines, l => Assert.DoesNotContain("PASSW0RD", l));
        Assert.All(lines, l => Assert.DoesNotContain("KEY123", l));
        Assert.Contains(lines, l => l.Contains("http://***@127.0.0.1:9/x?api_key=***&tenant=***", StringComparison.Ordinal));
        Assert.True(writer.Counters.Dropped >= 300, $"dropped {writer.Counters.Dropped}");
        // Well under 10 s of work: one line per kind, plus the final "… N more" of each and the shutdown summary.
        Assert.True(lines.Count <= 6, string.Join('\n', lines));
        Assert.Contains(lines, l => l.Contains("more in the last", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_agent_never_prints_the_http_credentials()
    {
        var path = _dir.Write("pipeline.hocon", $$"""
            ingrain {
              agent { shutdown-timeout = 3s, watch-config = off }
              probes.synth { type = synthetic, rate = 200, batch-size = 10, pipelines = [h] }
              pipelines.h.backend { type = http, uri = "{{SecretUri}}", max-retries = 0, retry-delay = 10ms, retry-max-delay = 10ms, flush-interval = 50ms }
            }
            """);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stderr, "unavailable after retries", TimeSpan.FromSeconds(30));
        await Task.Delay(1500);
        agent.Signal("TERM");
        await agent.ExitCodeAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("PASSW0RD", agent.Stderr + agent.Stdout);
        Assert.DoesNotContain("KEY123", agent.Stderr + agent.Stdout);
        Assert.Contains("http://***@127.0.0.1:9/x?api_key=***", agent.Stderr);
        // 1.5 s of a failing flush every 50 ms: one outage warning, the rest counted.
        Assert.Single(agent.Stderr.Split('\n'), l => l.Contains("unavailable after retries", StringComparison.Ordinal) && !l.Contains("more in the last", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_config_errors_do_not_echo_credentials_either()
    {
        var path = _dir.Write("pipeline.hocon", """
            ingrain { probes.s { type = synthetic, pipelines = [p] }, pipelines.p.backend { type = http, uri = "ftp://user:PASSW0RD@h/x?k=KEY123" } }
            """);
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("uri: 'ftp://***@h/x?k=***' must be an absolute http:// or https:// address", agent.Stderr);
        Assert.DoesNotContain("PASSW0RD", agent.Stderr);
    }

    [Fact]
    public async Task Check_config_escapes_control_characters_from_the_file()
    {
        var path = _dir.Write("pipeline.hocon", "ingrain { probes.s { type = synthetic, pipelines = [p], \"x\\r\\u001b[2Jforged\" = 1 }, pipelines.p.backend.type = console }");
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(@"unknown key ""x\r\x1b[2Jforged""", agent.Stderr);
        Assert.DoesNotContain('\u001b', agent.Stderr);
        Assert.DoesNotContain('\r', agent.Stderr);
    }

    [Fact]
    public void A_rate_limited_warning_counts_what_it_held_back()
    {
        var logger = new CapturingLogger();
        var time = new ManualTimeProvider();
        var log = new RateLimitedLog(logger, time);
        for (var i = 0; i < 1235; i++) log.Log("backend down ({Reason})", "refused");
        Assert.Equal(["Warning: backend down (refused)"], logger.Lines);
        time.Advance(TimeSpan.FromSeconds(10));
        log.Log("backend down ({Reason})", "refused");
        Assert.Equal("Warning: backend down (refused) (… 1,234 more in the last 10 s)", logger.Lines[^1]);
        log.Log("backend down ({Reason})", "timeout");
        log.Log("backend down ({Reason})", "refused");
        time.Advance(TimeSpan.FromSeconds(3));
        log.Flush();
        Assert.Equal("Warning: … 2 more in the last 3 s, the first of them: backend down (timeout)", logger.Lines[^1]);
        log.Flush();
        Assert.Equal(3, logger.Lines.Count);
    }

    [Theory]
    [InlineData("evil\r2026-01-01 INFO forged:1|c", @"evil\r2026-01-01 INFO forged:1|c")]
    [InlineData("a\u001b[2Jb|c", @"a\x1b[2Jb|c")]
    [InlineData("rtl\u202eexe.txt", @"rtl\u202eexe.txt")]
    [InlineData(@"back\slash", @"back\\slash")]
    public void Control_characters_are_escaped(string input, string expected) => Assert.Equal(expected, LogText.Escape(input));

    [Fact]
    public async Task A_statsd_flood_of_forged_lines_logs_one_escaped_warning_with_the_count()
    {
        var logger = new CapturingLogger();
        var time = new ManualTimeProvider();
        long malformed;
        await using (var listener = new StatsDListener(Settings.StatsD with { Bind = "127.0.0.1:0" }, logger, time))
        {
            using var cts = new CancellationTokenSource();
            var received = 0;
            var run = listener.RunAsync(_ => Interlocked.Increment(ref received), cts.Token);
            using var sender = new UdpClient();
            var forged = Encoding.UTF8.GetBytes("x\r[ERROR] agent compromised\u001b[0m\nok:1|c");
            for (var i = 0; i < 500; i++) await sender.SendAsync(forged, listener.LocalEndPoint);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (listener.Counters.Malformed < 500 && DateTime.UtcNow < deadline) await Task.Delay(20);
            cts.Cancel();
            await run;
            malformed = listener.Counters.Malformed;
        }
        Assert.Equal(500, malformed);
        var lines = logger.Lines;
        Assert.Equal(2, lines.Count); // the first, and the count of the rest at disposal
        Assert.Contains(@"x\r[ERROR] agent compromised\x1b[0m\nok:1|c", lines[0]);
        Assert.All(lines, l => Assert.DoesNotContain('\r', l));
        Assert.All(lines, l => Assert.DoesNotContain('\u001b', l));
        Assert.StartsWith("Warning: … 499 more in the last", lines[1]);
    }
}
