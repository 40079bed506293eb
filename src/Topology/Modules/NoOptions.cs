namespace Ingrain.Topology.Modules;

/// <summary>Settings of a component type that has none.</summary>
public sealed record NoOptions
{
    public static readonly NoOptions Instance = new();
}
