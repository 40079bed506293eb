using Ingrain.Actors.Topology;

namespace Ingrain.Agent.Hosting;

/// <summary>
/// The running topology, once Akka.Hosting has started the actor system. Its own namespace, so that the agent and its
/// endpoints both use it without the endpoints depending on the agent's root namespace.
/// </summary>
internal sealed class TopologyHolder
{
    private RunningTopology? _topology;

    /// <summary>The topology once it started, else null.</summary>
    public RunningTopology? Started => _topology;

    public RunningTopology Topology
    {
        get => _topology ?? throw new InvalidOperationException("the topology has not started yet");
        set => _topology = value;
    }
}
