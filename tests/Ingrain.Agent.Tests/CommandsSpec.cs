using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Ingrain.Agent.Tests;

public sealed partial class CommandsSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ingrain-agent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "pipeline.hocon");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Check_config_prints_every_error_and_exits_2()
    {
        var path = Write("""
            ingrain {
              probes { exec { type = exce, pipelines = [consle] } }
              pipelines.console { steps = [ { type = whitelist, alow = [x] } ], backend.type = console }
            }
            """);
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal($"""
            error: {path}:3:33: ingrain.pipelines.console.steps[0]: missing required key "allow"
            error: {path}:3:60: ingrain.pipelines.console.steps[0]: unknown key "alow"; did you mean "allow"?
            error: {path}:2:26: ingrain.probes.exec: type: unknown probe type "exce"; did you mean "exec"? (known: command, dns, exec, files, network, statsd, synthetic, syscalls, tls)
            error: {path}:2:45: ingrain.probes.exec: pipeline "consle" doesn't exist; did you mean "console"?
            pipeline.hocon: 4 error(s)

            """, agent.Stderr);
    }

    [Fact]
    public async Task Check_config_exits_0_for_a_valid_file()
    {
        var path = Write("ingrain { probes.s { type = synthetic, pipelines = [p] }, pipelines.p.backend.type = console }");
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("pipeline.hocon: OK (1 probe(s), 1 pipeline(s))\n", agent.Stdout);
    }

    [Fact]
    public async Task Run_reloads_on_sighup_keeps_running_on_a_broken_edit_and_flushes_on_sigterm()
    {
        var output = Path.Combine(_dir, "agg.ndjson");
        var config = $$"""
            ingrain {
              agent { shutdown-timeout = 10s, watch-config = off }
              probes.synth { type = synthetic, name = demo, rate = 200, batch-size = 10, tags { process_str = conn7 }, pipelines = [console, agg] }
              pipelines {
                console {
                  steps = [ { type = regex, patterns = [{ key = process_str, regex = "conn(\\d+)", replace-with = "a_$1" }] } ]
                  backend.type = console
                }
                agg { steps = [ { type = buffer, interval = 1h } ], backend { type = file, path = "{{output}}" } }
              }
            }
            """;
        var path = Write(config);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stdout, "\"a_7\"", TimeSpan.FromSeconds(30));

        File.WriteAllText(path, config.Replace("a_$1", "b_$1"));
        agent.Signal("HUP");
        await agent.WaitForAsync(() => agent.Stdout, "\"b_7\"", TimeSpan.FromSeconds(30));

        File.WriteAllText(path, config.Replace("type = regex", "type = regexx"));
        agent.Signal("HUP");
        await agent.WaitForAsync(() => agent.Stderr, "reload rejected", TimeSpan.FromSeconds(30));

        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var emitted = agent.Stdout.Split('\n').Count(l => l.Contains("\"demo\"", StringComparison.Ordinal));
        // The buffer (1h interval) was flushed at shutdown and had counted every measurement the console saw.
        var line = Assert.Single(File.ReadAllLines(output));
        Assert.Contains($"\"value\":{emitted},", line);
    }

    [Fact]
    public async Task Run_reloads_when_the_config_file_changes()
    {
        var config = """
            ingrain {
              agent { watch-config = on, watch-debounce = 100ms }
              probes.synth { type = synthetic, name = first, rate = 100, batch-size = 5, pipelines = [console] }
              pipelines.console.backend.type = console
            }
            """;
        var path = Write(config);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stdout, "\"first\"", TimeSpan.FromSeconds(30));

        File.WriteAllText(path, config.Replace("name = first", "name = second"));
        await agent.WaitForAsync(() => agent.Stdout, "\"second\"", TimeSpan.FromSeconds(30));
        Assert.Contains("reload requested (file changed)", agent.Stderr);

        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_second_stop_signal_exits_at_once_while_the_first_is_still_draining()
    {
        // Nothing listens on port 9: the HTTP backend's final flush keeps retrying (2 s apart), so draining is slow.
        var path = Write("""
            ingrain {
              agent { shutdown-timeout = 60s, watch-config = off, prometheus { enabled = on, listen = "127.0.0.1:0" } }
              probes.synth { type = synthetic, rate = 100, batch-size = 5, pipelines = [h] }
              pipelines.h.backend { type = http, uri = "http://127.0.0.1:9/ingest", max-retries = 10, retry-delay = 2s, flush-interval = 1h }
            }
            """);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stderr, "probe synth (synthetic) started", TimeSpan.FromSeconds(30));
        await WaitForCounterAsync(agent, "ingrain_backend_received_total", "h", 1); // a batch reached the backend

        agent.Signal("TERM");
        await agent.WaitForAsync(() => agent.Stderr, "SIGTERM received: stopping probes", TimeSpan.FromSeconds(10));
        // A copy within SecondSignalGap counts as the same stop (GNU timeout signals the child and its group); this
        // one is later: the agent took its time before it logged, so once the gap has passed here it has there too.
        var logged = Stopwatch.StartNew();
        while (logged.Elapsed <= SignalLifetime.SecondSignalGap) await Task.Delay(50);
        agent.Signal("TERM");
        Assert.Equal(130, await agent.ExitCodeAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("received again: exiting now", agent.Stderr);
    }

    [Fact]
    public async Task A_stop_signal_delivered_twice_at_once_still_drains_everything()
    {
        var output = Path.Combine(_dir, "twice.ndjson");
        var path = Write($$"""
            ingrain {
              agent { watch-config = off, prometheus { enabled = on, listen = "127.0.0.1:0" } }
              probes.synth { type = synthetic, name = twice, rate = 1000, batch-size = 10, count = 50, pipelines = [f] }
              pipelines.f { steps = [ { type = buffer, interval = 1h } ], backend { type = file, path = "{{output}}" } }
            }
            """);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stderr, "probe synth (synthetic) started", TimeSpan.FromSeconds(30));
        await WaitForCounterAsync(agent, "ingrain_step_received_total", "f", 50); // all 50 in the buffer, which holds them until the drain
        agent.Signal("TERM");
        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("exiting now", agent.Stderr);
        var line = Assert.Single(File.ReadAllLines(output));
        Assert.Contains("\"value\":50,", line);
    }

    [GeneratedRegex(@"prometheus endpoint listening on http://(127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    /// <summary>Polls the agent's <c>/metrics</c> until the counter <paramref name="metric"/> of pipeline
    /// <paramref name="pipeline"/> is at least <paramref name="atLeast"/>.</summary>
    private static async Task WaitForCounterAsync(AgentProcess agent, string metric, string pipeline, long atLeast)
    {
        await agent.WaitForAsync(() => agent.Stderr, "prometheus endpoint listening on", TimeSpan.FromSeconds(30));
        var endpoint = Listening().Match(agent.Stderr).Groups[1].Value;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var sample = new Regex($@"^{Regex.Escape(metric)}\{{[^}}]*pipeline=""{Regex.Escape(pipeline)}""[^}}]*\}} (\d+)", RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var text = await http.GetStringAsync($"http://{endpoint}/metrics");
            if (sample.Match(text) is { Success: true } m && long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) >= atLeast) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{metric}{{pipeline=\"{pipeline}\"}} did not reach {atLeast}:\n{text}\nstderr:\n{agent.Stderr}");
            await Task.Delay(50);
        }
    }
}
