namespace Ingrain.Topology.Modules;

/// <summary>
/// A probe that can take some changes of its settings while running, without detaching (the files probe rewrites its
/// kernel map of monitored paths). On a reload that changes such a probe's settings, the host first offers the new
/// options here; only when this returns false does it stop the probe and start a new one. A probe restarted later by
/// its supervisor must be created from the options it last accepted.
/// </summary>
public interface IReconfigurableProbe : IProbe
{
    /// <summary>Applies <paramref name="options"/> (the module's parsed settings) in place; false when they need a restart.</summary>
    bool TryReconfigure(object options);
}
