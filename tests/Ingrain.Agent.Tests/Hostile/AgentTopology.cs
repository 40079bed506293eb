using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Ingrain.Actors.Topology;
using Ingrain.Agent.Composition;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// The agent's own modules in a topology run in this process (an actor system with the agent's shutdown phases),
/// plus a <c>collect</c> backend whose writer the test gives — for kernel specs that drive the real probes.
/// </summary>
internal sealed class AgentTopology : IDisposable
{
    private readonly ActorSystem _system;

    public AgentTopology(string name, Func<ConcurrentQueue<Measurement>, IBackendWriter> collect)
    {
        Registry = AgentModules.CreateRegistry();
        Registry.Register(InlineModule.Backend("collect", _ => NoOptions.Instance, (_, _) => collect(Seen)));
        _system = ActorSystem.Create(name, ConfigurationFactory.ParseString(
            "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off\n" + RunningTopology.ShutdownPhasesHocon(TimeSpan.FromSeconds(60))));
    }

    public ModuleRegistry Registry { get; }

    /// <summary>What the <c>collect</c> backend received.</summary>
    public ConcurrentQueue<Measurement> Seen { get; } = new();

    public TopologySpec Compile(string hocon)
    {
        var result = TopologyLoader.FromText(hocon, Registry);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("\n", result.Errors));
        return result.Spec!;
    }

    public RunningTopology Start(string hocon, Microsoft.Extensions.Logging.ILoggerFactory? logs = null) =>
        RunningTopology.Start(_system, Compile(hocon), logs);

    public static async Task Until(Func<bool> condition, string what, TimeSpan? max = null, Func<string>? detail = null)
    {
        var limit = max ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {limit}. {detail?.Invoke()}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _system.Dispose();
}
