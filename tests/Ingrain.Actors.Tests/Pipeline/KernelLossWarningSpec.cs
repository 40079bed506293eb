using Ingrain.Actors.Pipeline;
using Ingrain.Actors.Tests.Topology;
using Ingrain.Actors.Topology;
using Ingrain.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Pipeline;

/// <summary>Kernel-side loss is warned about, naming the probe and the count, at most once per 10 s, and never left unsaid.</summary>
public sealed class KernelLossWarningSpec : AkkaSpec
{
    private readonly ITestOutputHelper _output;

    public KernelLossWarningSpec(ITestOutputHelper output) : base(output) => _output = output;

    [Fact]
    public void First_loss_is_warned_at_once_then_one_line_per_window_with_everything_since()
    {
        var counters = new ProbeCounters();
        var log = new CapturingLogger();
        var time = new ManualTimeProvider();
        var warning = new KernelLossWarning("exec", counters, log, time);

        warning.Check();
        Assert.Empty(log.Lines);

        counters.AddKernelLost(27_036);
        time.Advance(TimeSpan.FromSeconds(1));
        warning.Check();
        Assert.Equal("Warning: exec: 27,036 events lost in the kernel in the last 1 s: the pipeline is slower than the probe " +
            "(lost since the agent started: 27,036)", Assert.Single(log.Lines));

        for (var i = 0; i < 9; i++)
        {
            counters.AddKernelLost(100);
            time.Advance(TimeSpan.FromSeconds(1));
            warning.Check();
        }
        Assert.Single(log.Lines);

        counters.AddKernelLost(100);
        time.Advance(TimeSpan.FromSeconds(1));
        warning.Check();
        Assert.Equal(2, log.Lines.Count);
        Assert.Equal("Warning: exec: 1,000 events lost in the kernel in the last 10 s: the pipeline is slower than the probe " +
            "(lost since the agent started: 28,036)", log.Lines[1]);

        // Stopping says what is still pending, inside the window too.
        counters.AddKernelLost(5);
        warning.Check(final: true);
        Assert.Contains("exec: 5 events lost in the kernel", log.Lines[2]);
        warning.Check(final: true);
        Assert.Equal(3, log.Lines.Count);
    }

    [Fact]
    public async Task A_running_probe_whose_kernel_side_lost_records_is_warned_about_by_name()
    {
        var components = new TestComponents();
        var log = new CapturingLogger();
        using var logs = LoggerFactory.Create(b => b.AddProvider(log).AddProvider(new XunitLoggerProvider(_output)));
        var topology = RunningTopology.Start(Sys, TopologyLoader.FromText("""
            ingrain {
              probes.ring { type = lossy, pipelines = [p] }
              pipelines.p { backend { type = collect, name = out } }
            }
            """, components.Registry()).Spec!, logs);
        await AwaitConditionAsync(() => log.Lines.Any(l => l.Contains("ring: 7 events lost in the kernel")), TimeSpan.FromSeconds(10));
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(log.Lines, l => l.Contains("events lost in the kernel"));
    }
}
