using Ingrain.Topology.Configuration;
using Ingrain.Topology.Modules;

namespace Ingrain.Topology;

/// <summary>The outcome of compiling a topology: a spec when there are no errors, and every error and warning found.</summary>
public sealed record CompileResult(TopologySpec? Spec, IReadOnlyList<ConfigError> Errors, IReadOnlyList<ConfigError> Warnings)
{
    public bool Succeeded => Spec is not null && Errors.Count == 0;

    /// <summary>Every key each component's parser read (present or defaulted), by component: what the code understands.</summary>
    public IReadOnlyList<ComponentKeys> KeysRead { get; init; } = [];

    public static CompileResult Failed(params ConfigError[] errors) => new(null, errors, []);
}

/// <summary>The keys one component's parser read (nested ones as <c>outer.inner</c>).</summary>
public sealed record ComponentKeys(string Path, ComponentKind Kind, string Type, IReadOnlyList<string> Keys);
