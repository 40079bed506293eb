using Akka.TestKit;
using Ingrain.Actors.Tests.Topology;
using Ingrain.Actors.Topology;
using Ingrain.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Pipeline;

/// <summary>
/// The probe actor's kernel-loss check on virtual time: Akka's <see cref="TestScheduler"/> drives its timer and a
/// <see cref="ManualTimeProvider"/> the warning's window, so "once a second" and "at most every 10 s" are tested
/// without waiting for either.
/// </summary>
public sealed class KernelLossVirtualTimeSpec : AkkaSpec
{
    private readonly ITestOutputHelper _output;

    public KernelLossVirtualTimeSpec(ITestOutputHelper output) : base(output, VirtualTime) => _output = output;

    [Fact]
    public async Task The_check_runs_on_the_schedulers_ticks_and_warns_at_most_once_per_window()
    {
        var scheduler = (TestScheduler)Sys.Scheduler;
        var time = new ManualTimeProvider();
        var log = new CapturingLogger();
        using var logs = LoggerFactory.Create(b => b.AddProvider(log).AddProvider(new XunitLoggerProvider(_output)));
        var components = new TestComponents();
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText("""
            ingrain {
              probes.ring { type = lossy, pipelines = [p] }
              pipelines.p.backend { type = collect, name = out }
            }
            """, components.Registry()).Spec!, logs, time);
        var counters = topology.ProbeCounters("ring");
        await AwaitConditionAsync(() => counters.Attached && counters.KernelLost == 7);
        string[] Warnings() => [.. log.Lines.Where(l => l.Contains("events lost in the kernel"))];

        Assert.Empty(Warnings()); // lost, but the check has not run: the scheduler has not moved
        scheduler.Advance(TimeSpan.FromSeconds(1));
        await AwaitConditionAsync(() => Warnings().Length == 1);
        Assert.Contains("ring: 7 events lost in the kernel", Warnings()[0]);

        counters.AddKernelLost(5);
        time.Advance(TimeSpan.FromSeconds(4));
        scheduler.Advance(TimeSpan.FromSeconds(4)); // four checks inside the window: counted, not logged
        time.Advance(TimeSpan.FromSeconds(6));
        scheduler.Advance(TimeSpan.FromSeconds(1)); // the first check past the window logs what was held back
        await AwaitConditionAsync(() => Warnings().Length == 2);
        Assert.Contains("ring: 5 events lost in the kernel in the last 10 s", Warnings()[1]);
        Assert.Contains("(lost since the agent started: 12)", Warnings()[1]);
    }
}
