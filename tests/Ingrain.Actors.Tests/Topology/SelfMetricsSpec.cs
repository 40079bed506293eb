using Ingrain.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// <c>ingrain.agent.self-metrics</c>: every counter of the status reaches the named pipeline as <c>ingrain.*</c>
/// measurements, counters as changes (they add up to the status's totals, however many intervals passed), the
/// attached state and queue depths as gauges, and the last interval is sent at shutdown.
/// </summary>
public sealed class SelfMetricsSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private readonly TestComponents _components = new();

    private RunningTopology Start(string interval = "100ms") => RunningTopology.Start(Sys, TopologyLoader.FromText($$"""
        ingrain {
          agent.self-metrics { interval = {{interval}}, pipelines = [self] }
          probes.in { type = lossy, pipelines = [p] }
          pipelines.p { steps = [ { type = whitelist, allow = [] } ], backend { type = collect, name = out } }
          pipelines.self.backend { type = collect, name = self }
        }
        """, _components.Registry()).Spec!, Logs);

    private double Sum(string name, string component) => _components.Of("self")
        .Where(m => m.Name == name && m.Tags.Get("component") == component).Sum(m => m.Value.Number);

    [Fact]
    public async Task Counters_arrive_as_changes_that_add_up_to_the_status_totals()
    {
        var topology = Start();
        for (var i = 0; i < 5; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter($"m{i}")));
        await AwaitConditionAsync(() => Sum("ingrain.writer.sent", "ingrain.pipelines.p.backend") == 5, TimeSpan.FromSeconds(20));
        // Several intervals later the sums are still the totals: unchanged counters are sent as 0.
        var intervals = _components.Of("self").Count(m => m.Name == "ingrain.probe.emitted" && m.Tags.Get("probe") == "in");
        await AwaitConditionAsync(() => _components.Of("self").Count(m => m.Name == "ingrain.probe.emitted" && m.Tags.Get("probe") == "in") >= intervals + 3,
            TimeSpan.FromSeconds(20));
        Assert.Equal(5, Sum("ingrain.probe.emitted", "ingrain.probes.in"));
        Assert.Equal(7, Sum("ingrain.probe.kernel_lost", "ingrain.probes.in"));
        Assert.Equal(2, Sum("ingrain.probe.malformed", "ingrain.probes.in"));
        Assert.Equal(5, Sum("ingrain.step.received", "ingrain.pipelines.p.steps[0]"));
        Assert.Equal(5, Sum("ingrain.backend.received", "ingrain.pipelines.p.backend"));

        var emitted = _components.Of("self").Last(m => m.Name == "ingrain.probe.kernel_lost" && m.Tags.Get("probe") == "in");
        Assert.Equal(MeasurementKind.Counter, emitted.Kind);
        Assert.Equal(Tags.Of(("component", "ingrain.probes.in"), ("probe", "in"), ("type", "lossy")), emitted.Tags);
        var attached = _components.Of("self").Last(m => m.Name == "ingrain.probe.attached" && m.Tags.Get("probe") == "in");
        Assert.Equal((MeasurementKind.Gauge, 1.0), (attached.Kind, attached.Value.Number));
        var queue = _components.Of("self").Last(m => m.Name == "ingrain.edge.queued_batches" && m.Tags.Get("component") == "ingrain.pipelines.p.backend");
        Assert.Equal(MeasurementKind.Gauge, queue.Kind);
        Assert.Equal(Tags.Of(("component", "ingrain.pipelines.p.backend"), ("pipeline", "p"), ("type", "collect")), queue.Tags);

        // Every counter of every component of the status has its measurement.
        var names = _components.Of("self").Select(m => (m.Name, m.Tags.Get("component"))).ToHashSet();
        foreach (var status in topology.Status())
            Assert.Equal(status.Counters.Count + (status.Path.StartsWith("ingrain.pipelines.", StringComparison.Ordinal) ? 0 : 1),
                names.Count(n => n.Item2 == status.Path));
        Assert.Contains(("ingrain.probe.emitted", "ingrain.agent.self-metrics"), names);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_last_interval_is_sent_at_shutdown()
    {
        var topology = Start(interval: "1h");
        for (var i = 0; i < 3; i++) Assert.True(_components.Feed.Writer.TryWrite(TestComponents.Counter($"m{i}")));
        await AwaitConditionAsync(() => _components.Of("out").Count == 3);
        Assert.Empty(_components.Of("self"));
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(3, Sum("ingrain.probe.emitted", "ingrain.probes.in"));
        Assert.Equal(3, Sum("ingrain.writer.sent", "ingrain.pipelines.p.backend"));
        Assert.Equal(0, _components.Of("self").Last(m => m.Name == "ingrain.probe.attached" && m.Tags.Get("probe") == "in").Value.Number);
    }

    [Fact]
    public async Task A_reload_that_replaces_its_pipeline_rewires_it_to_the_new_instance()
    {
        var topology = Start();
        await AwaitConditionAsync(() => _components.Of("self").Count > 0, TimeSpan.FromSeconds(20));
        var next = TopologyLoader.FromText("""
            ingrain {
              agent.self-metrics { interval = 100ms, pipelines = [self] }
              probes.in { type = lossy, pipelines = [p] }
              pipelines.p { steps = [ { type = whitelist, allow = [] } ], backend { type = collect, name = out } }
              pipelines.self.backend { type = collect, name = self2 }
            }
            """, _components.Registry()).Spec!;
        var diff = await topology.ApplyAsync(next, TimeSpan.FromSeconds(10));
        Assert.Equal(["self"], diff.Pipelines.ToChange);
        await AwaitConditionAsync(() => _components.Of("self2").Any(m => m.Name == "ingrain.probe.emitted"), TimeSpan.FromSeconds(20));
        Assert.Equal("attached", topology.Status().Single(s => s.Path == "ingrain.agent.self-metrics").State);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Naming_a_pipeline_that_does_not_exist_is_an_error_with_a_hint()
    {
        var result = TopologyLoader.FromText("""
            ingrain {
              agent.self-metrics.pipelines = [slef]
              probes.in { type = synthetic, name = x, pipelines = [self] }
              pipelines.self.backend.type = console
            }
            """, Builtins.CreateRegistry(), "pipeline.hocon");
        Assert.Equal(["pipeline.hocon:2:35: ingrain.agent.self-metrics: pipeline \"slef\" doesn't exist; did you mean \"self\"?"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Off_by_default_and_when_no_pipeline_is_named()
    {
        var spec = TopologyLoader.FromText("ingrain { probes.in { type = synthetic, name = x, pipelines = [p] }, pipelines.p.backend.type = console }",
            Builtins.CreateRegistry()).Spec!;
        Assert.Null(spec.Agent.SelfMetrics);
        Assert.Null(spec.Agent.Prometheus);
    }
}
