namespace Ingrain.Actors.Topology;

/// <summary>The outcome of compiling a topology: a spec when there are no errors, and every error and warning found.</summary>
public sealed record CompileResult(TopologySpec? Spec, IReadOnlyList<ConfigError> Errors, IReadOnlyList<ConfigError> Warnings)
{
    public bool Succeeded => Spec is not null && Errors.Count == 0;

    public static CompileResult Failed(params ConfigError[] errors) => new(null, errors, []);
}
