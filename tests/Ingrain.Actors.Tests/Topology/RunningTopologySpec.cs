using Ingrain.Actors.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

public sealed class RunningTopologySpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private const string Base = """
        ingrain {
          probes {
            in { type = scripted, pipelines = [agg, raw] }
          }
          pipelines {
            agg {
              steps = [ { type = buffer, interval = 1h } ]
              backend { type = collect, name = agg }
            }
            raw {
              steps = [ { type = regex, patterns = [{ key = process_str, regex = "conn(\\d+)", replace-with = "conn_$1" }] } ]
              backend { type = collect, name = raw }
            }
          }
        }
        """;

    private TopologySpec Compile(string text)
    {
        var result = TopologyLoader.FromText(text, _components.Registry());
        Assert.Empty(result.Errors);
        return result.Spec!;
    }

    private void Send(Measurement m) => Assert.True(_components.Feed.Writer.TryWrite(m));

    private Task Arrived(string backend, int count) =>
        AwaitConditionAsync(() => _components.Of(backend).Count >= count, TimeSpan.FromSeconds(10), message: $"{count} measurement(s) at {backend}");

    [Fact]
    public async Task Reload_keeps_unchanged_actors_and_restarts_the_changed_pipeline_without_losing_data()
    {
        var topology = RunningTopology.Start(Sys, Compile(Base), Logs);
        Send(TestComponents.Counter("exec", ("process_str", "conn1")));
        await Arrived("raw", 1);

        var probe = topology.ProbeActor("in");
        var agg = topology.PipelineActors("agg");
        var raw = topology.PipelineActors("raw");
        var outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() =>
            TopologyLoader.FromText(Base.Replace("replace-with = \"conn_$1\"", "replace-with = \"proxy_$1\""), _components.Registry()));

        Assert.True(outcome.Applied);
        Assert.Equal(["raw"], outcome.Diff!.Pipelines.ToChange);
        Assert.Same(probe, topology.ProbeActor("in"));          // still attached: same actor
        Assert.Equal(agg, topology.PipelineActors("agg"));       // same actors, same mailboxes, same buffer
        Assert.DoesNotContain(raw[0], topology.PipelineActors("raw"));

        Send(TestComponents.Counter("exec", ("process_str", "conn2")));
        await Arrived("raw", 2);
        Assert.Equal(["conn_1", "proxy_2"], _components.Of("raw").Select(m => m.Tags.Get("process_str")));

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
        // The buffer saw both measurements across the reload: nothing was lost or restarted.
        Assert.Equal(2, _components.Of("agg").Sum(m => m.Value.Number));
    }

    [Fact]
    public async Task Reload_with_equal_values_spelled_differently_keeps_the_same_actors()
    {
        const string before = """
            ingrain {
              probes.in { type = scripted, pipelines = [p], restart { min-backoff = 1s } }
              pipelines.p {
                steps = [ { type = buffer, interval = 10s } ]
                backend { type = file, path = "/dev/null", max-size = 1MiB }
              }
            }
            """;
        // Same values: 10000ms = 10s, 1024KiB = 1MiB, 1000 (ms) = 1s, other key order, defaults written out.
        const string after = """
            ingrain {
              pipelines.p {
                backend { max-size = 1024KiB, path = "/dev/null", type = file, mailbox { overflow = backpressure } }
                steps = [ { interval = 10000ms, max-keys = 100000, type = buffer, mailbox { capacity = 64 } } ]
              }
              probes.in { pipelines = [p], type = scripted, restart { min-backoff = 1000 } }
            }
            """;
        var topology = RunningTopology.Start(Sys, Compile(before), Logs);
        var probe = topology.ProbeActor("in");
        var actors = topology.PipelineActors("p");

        var outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() => TopologyLoader.FromText(after, _components.Registry()));

        Assert.True(outcome.Applied);
        Assert.True(outcome.Diff!.IsEmpty, outcome.Diff.ToString());
        Assert.Same(probe, topology.ProbeActor("in"));
        Assert.Equal(actors, topology.PipelineActors("p"));

        // A real change is still one.
        outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() =>
            TopologyLoader.FromText(after.Replace("10000ms", "10001ms"), _components.Registry()));
        Assert.Equal(["p"], outcome.Diff!.Pipelines.ToChange);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_reload_whose_new_pipeline_cannot_start_is_rolled_back()
    {
        var topology = RunningTopology.Start(Sys, Compile(Base), Logs);
        var probe = topology.ProbeActor("in");
        var raw = topology.PipelineActors("raw");
        _components.StepCreateFailuresLeft = int.MaxValue; // the new step's constructor always throws
        var broken = Base.Replace("steps = [ { type = regex", "steps = [ { type = fragile }, { type = regex")
            .Replace("pipelines = [agg, raw]", "pipelines = [agg, raw, extra]")
            .Replace("    raw {", "    extra { backend { type = collect, name = extra } }\n    raw {");

        var outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() => TopologyLoader.FromText(broken, _components.Registry()));

        Assert.False(outcome.Applied);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("ingrain.pipelines.raw.steps[0]", error.ComponentPath);
        Assert.Contains("cannot build the step (test)", error.Message);
        Assert.Same(probe, topology.ProbeActor("in"));
        Assert.Equal(raw, topology.PipelineActors("raw"));
        Assert.Throws<KeyNotFoundException>(() => topology.PipelineActors("extra"));
        Assert.Equal(["agg", "raw"], topology.Spec.Pipelines.Keys.Order());
        // The new instance was stopped, not left restarting with backoff (its first retry would come after ~100 ms).
        var creates = _components.StepCreates;
        await Task.Delay(500);
        Assert.Equal(creates, _components.StepCreates);

        // The old components still work, and a later good reload goes through.
        Send(TestComponents.Counter("exec", ("process_str", "conn7")));
        await Arrived("raw", 1);
        Assert.Equal("conn_7", _components.Of("raw")[0].Tags.Get("process_str"));
        _components.StepCreateFailuresLeft = 0;
        outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() => TopologyLoader.FromText(broken, _components.Registry()));
        Assert.True(outcome.Applied);
        Assert.Equal(["extra"], outcome.Diff!.Pipelines.ToAdd);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_broken_config_keeps_the_running_topology()
    {
        var topology = RunningTopology.Start(Sys, Compile(Base), Logs);
        var before = topology.Spec;
        var actors = topology.PipelineActors("raw");

        var outcome = await new TopologyReloader(topology, NullLogger.Instance).ReloadAsync(() =>
            TopologyLoader.FromText(Base.Replace("type = regex", "type = regexx").Replace("pipelines = [agg, raw]", "pipelines = [agg, nope]"), _components.Registry()));

        Assert.False(outcome.Applied);
        Assert.Equal(2, outcome.Errors.Count);
        Assert.Same(before, topology.Spec);
        Assert.Equal(actors, topology.PipelineActors("raw"));
        Send(TestComponents.Counter("exec", ("process_str", "conn3")));
        await Arrived("raw", 1);
        Assert.Equal("conn_3", _components.Of("raw")[0].Tags.Get("process_str"));
        await topology.ShutdownAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Shutdown_flushes_a_buffer_that_has_not_reached_its_interval()
    {
        var topology = RunningTopology.Start(Sys, Compile(Base), Logs);
        for (var i = 0; i < 5; i++) Send(TestComponents.Counter("file.read", ("path_str", "etc/passwd")));
        await Arrived("raw", 5);
        Assert.Empty(_components.Of("agg"));

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));

        var flushed = Assert.Single(_components.Of("agg"));
        Assert.Equal("file.read", flushed.Name);
        Assert.Equal(5, flushed.Value.Number);
    }

    [Fact]
    public async Task A_step_that_throws_is_restarted_and_the_pipeline_keeps_flowing()
    {
        var topology = RunningTopology.Start(Sys, Compile("""
            ingrain {
              probes.in { type = scripted, pipelines = [p] }
              pipelines.p { steps = [ { type = explode }, { type = buffer, interval = 1h } ], backend { type = collect, name = out } }
            }
            """), Logs);
        Send(TestComponents.Counter("a"));
        Send(TestComponents.Counter("b", ("explode", "yes")));
        Send(TestComponents.Counter("c"));
        await AwaitConditionAsync(() => topology.Counters()["ingrain.pipelines.p.steps[0]"].Failed == 1, TimeSpan.FromSeconds(10));
        Send(TestComponents.Counter("d"));
        await AwaitConditionAsync(() => topology.Counters()["ingrain.pipelines.p.steps[1]"].Received == 3, TimeSpan.FromSeconds(10));

        var counters = topology.Counters(); // live counters: they keep counting through shutdown
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["a", "c", "d"], _components.Of("out").Select(m => m.Name).Order());
        Assert.Equal(4, counters["ingrain.pipelines.p.steps[0]"].Received);
        Assert.Equal(3, counters["ingrain.pipelines.p.steps[0]"].Emitted);
    }

    [Fact]
    public async Task A_step_whose_constructor_throws_is_restarted_with_backoff_and_its_queue_is_delivered()
    {
        _components.StepCreateFailuresLeft = 3;
        var topology = RunningTopology.Start(Sys, Compile("""
            ingrain {
              probes.in { type = scripted, pipelines = [p] }
              pipelines.p { steps = [ { type = fragile } ], backend { type = collect, name = out } }
            }
            """), Logs);
        var step = topology.PipelineActors("p")[0];
        // Sent while the step cannot be built: they wait in its mailbox through the restarts.
        foreach (var name in new[] { "one", "two", "three" }) Send(TestComponents.Counter(name));
        await Arrived("out", 3);
        Send(TestComponents.Counter("four"));
        await Arrived("out", 4);

        Assert.Equal(4, _components.StepCreates);
        Assert.Same(step, topology.PipelineActors("p")[0]); // restarted in place, never replaced or stopped
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["one", "two", "three", "four"], _components.Of("out").Select(m => m.Name));
    }

    [Fact]
    public async Task A_probe_that_fails_to_attach_is_restarted_with_backoff()
    {
        _components.FlakyStartsLeft = 2;
        var topology = RunningTopology.Start(Sys, Compile("""
            ingrain {
              probes.in { type = flaky, pipelines = [p], restart { min-backoff = 20ms, max-backoff = 50ms } }
              pipelines.p.backend { type = collect, name = out }
            }
            """), Logs);
        Send(TestComponents.Counter("after-restarts"));
        await Arrived("out", 1);
        Assert.Equal(3, _components.FlakyStarts);
        Assert.Equal(2, topology.ProbeCounters("in").Restarts);
        await topology.ShutdownAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_backend_that_cannot_open_is_retried_while_its_batches_wait()
    {
        _components.BackendOpenFailuresLeft = 2;
        var topology = RunningTopology.Start(Sys, Compile("""
            ingrain {
              probes.in { type = scripted, pipelines = [p] }
              pipelines.p.backend { type = flaky-collect, name = out }
            }
            """), Logs);
        Send(TestComponents.Counter("first"));
        Send(TestComponents.Counter("second"));
        await Arrived("out", 2);
        Assert.Equal(3, _components.BackendOpens);
        Assert.Equal(["first", "second"], _components.Of("out").Select(m => m.Name));
        Assert.Equal(0, topology.Counters()["ingrain.pipelines.p.backend"].Failed);
        await topology.ShutdownAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_pipeline_used_by_several_probes_is_one_instance()
    {
        var text = """
            ingrain {
              probes { one { type = scripted, pipelines = [p] }, two { type = synthetic, name = synth, rate = 1000, batch-size = 10, count = 20, pipelines = [p] } }
              pipelines.p { steps = [ { type = buffer, interval = 1h } ], backend { type = collect, name = out } }
            }
            """;
        var topology = RunningTopology.Start(Sys, Compile(text), Logs);
        Send(TestComponents.Counter("synth"));
        await AwaitConditionAsync(() => topology.Counters()["ingrain.pipelines.p.steps[0]"].Received == 21, TimeSpan.FromSeconds(10));
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(21, Assert.Single(_components.Of("out")).Value.Number);
    }
}
