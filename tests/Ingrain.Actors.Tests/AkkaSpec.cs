using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests;

/// <summary>Base of the actor specs: Akka.TestKit.Xunit2 with the agent's settings where they matter.</summary>
public abstract class AkkaSpec(ITestOutputHelper? output, string? extraConfig = null)
    : Akka.TestKit.Xunit2.TestKit(extraConfig is null ? SystemConfig : extraConfig + "\n" + SystemConfig, output)
{
    /// <summary>Config that puts the actor system on Akka.TestKit's virtual-time scheduler (advance it by hand).</summary>
    protected const string VirtualTime = "akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"";

    // The agent's shutdown phases for the default shutdown-timeout (30 s), so specs shut down as the agent does.
    protected static readonly string SystemConfig =
        "akka.loglevel = INFO\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off\n"
        + Ingrain.Actors.Topology.RunningTopology.ShutdownPhasesHocon(TimeSpan.FromSeconds(30));

    /// <summary>Where the actors under test log: this test's output.</summary>
    protected Microsoft.Extensions.Logging.ILoggerFactory Logs { get; } =
        Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new XunitLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));

    /// <summary>Polls <paramref name="condition"/> until it holds (Akka's AwaitCondition, for a plain predicate).</summary>
    protected Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, string? message = null) =>
        base.AwaitConditionAsync(() => Task.FromResult(condition()), max, message);
}
