using Akka.Actor;
using Ingrain.Actors.Topology;
using Ingrain.Agent.Composition;
using Ingrain.Probes.Kernel;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// <c>ingrain run</c> does not start a probe whose type needs what this kernel lacks: it is "not attached" with the
/// reason <c>ingrain probes</c> gives (and counts as not attached at shutdown, so the agent exits 3), is never
/// created, and the rest of the topology runs. The missing feature is real: a tracepoint this kernel does not have.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ProbeRefusalSpec
{
    /// <summary>A probe type that needs a tracepoint no kernel has; counts how often it was created.</summary>
    private sealed class NeedsMissingTracepoint : ProbeModule<NoOptions>
    {
        public int Created;

        public override string Name => "needs-missing";

        public override bool NeedsKernel => true;

        public override IReadOnlyList<ProbeRequirement> Requirements { get; } =
            [ProbeRequirement.Program("tracepoint"), ProbeRequirement.Tracepoint("sched/ingrain_no_such_event")];

        protected override NoOptions Parse(ConfigSection section) => NoOptions.Instance;

        protected override IProbe Create(NoOptions options, ProbeContext context)
        {
            Interlocked.Increment(ref Created);
            throw new InvalidOperationException("must not be created");
        }
    }

    [KernelFact]
    public async Task The_refused_probe_is_not_attached_with_the_reason_and_the_rest_runs()
    {
        KernelRequirements.Require();
        var module = new NeedsMissingTracepoint();
        var output = Path.Combine(Directory.CreateTempSubdirectory("ingrain-refusal-").FullName, "out.ndjson");
        var compiled = TopologyLoader.FromText($$"""
            ingrain {
              probes.missing { type = needs-missing, pipelines = [out] }
              probes.synth { type = synthetic, name = demo, rate = 1000, batch-size = 10, count = 20, pipelines = [out] }
              pipelines.out.backend { type = file, path = "{{output}}" }
            }
            """, new ModuleRegistry([.. AgentModules.All, module]));
        Assert.Empty(compiled.Errors);
        var spec = ProbeRefusals.Apply(compiled.Spec!);

        var why = ProbeSupport.Check(module).Requirements.Single(r => r.Available == false).Reason;
        Assert.Equal("no tracepoint sched/ingrain_no_such_event in /sys/kernel/tracing/events", why);
        Assert.Equal($"this kernel cannot run it: tracepoint sched/ingrain_no_such_event: {why}", spec.Probes["missing"].Refused);
        Assert.Null(spec.Probes["synth"].Refused);

        using var system = ActorSystem.Create("refusal", "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off\n"
            + RunningTopology.ShutdownPhasesHocon(TimeSpan.FromSeconds(10)));
        var topology = RunningTopology.Start(system, spec);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (topology.Status().Single(s => s.Path == "ingrain.pipelines.out.backend")["writer.sent"] < 20 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var status = topology.Status().ToDictionary(s => s.Path);
        Assert.Equal(20, status["ingrain.pipelines.out.backend"]["writer.sent"]);
        Assert.Equal($"not attached ({spec.Probes["missing"].Refused})", status["ingrain.probes.missing"].State);
        Assert.Equal(0, status["ingrain.probes.missing"]["restarts"]);
        Assert.Equal("attached", status["ingrain.probes.synth"].State);

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([("missing", spec.Probes["missing"].Refused!)], topology.NotAttachedAtShutdown);
        Assert.Equal(0, module.Created);
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
    }
}
