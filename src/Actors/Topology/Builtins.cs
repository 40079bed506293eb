namespace Ingrain.Actors.Topology;

/// <summary>Everything Ingrain.Actors itself provides; the agent adds the kernel and user-space probes and other backends.</summary>
public static class Builtins
{
    /// <summary>A registry with the built-in steps, the console and file backends, and the synthetic probe.</summary>
    public static ComponentRegistry CreateRegistry()
    {
        var registry = new ComponentRegistry();
        foreach (var step in BuiltinSteps.All()) registry.Register(step);
        foreach (var backend in BuiltinBackends.All()) registry.Register(backend);
        registry.Register(SyntheticProbe.Type);
        return registry;
    }
}
