using Ingrain.Topology.Configuration;

namespace Ingrain.Topology.Modules;

/// <summary>
/// What every module (probe, step or backend kind) has: the HOCON <c>type</c> name and a settings parser that reads
/// a <see cref="ConfigSection"/> and reports problems there (returning null when the settings are unusable).
/// Defaults come from the type's block in <c>reference.hocon</c>, never from the module.
/// </summary>
public interface IComponentModule
{
    /// <summary>The HOCON <c>type = …</c> of the component, e.g. <c>exec</c>.</summary>
    string Name { get; }

    /// <summary>Which kind of component this module makes.</summary>
    ComponentKind Kind { get; }

    /// <summary>Reads the component's settings; errors go to <paramref name="section"/>.</summary>
    object? Parse(ConfigSection section);
}

/// <summary>The three kinds of component a topology is made of.</summary>
public enum ComponentKind
{
    Probe,
    Step,
    Backend,
}
