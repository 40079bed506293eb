namespace Ingrain.Topology.Modules;

/// <summary>
/// The probe, step and backend modules a topology may name. The agent builds it from its one list of modules;
/// registering a type name twice (within a kind) is a programming error and throws.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly Dictionary<string, IProbeModule> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IStepModule> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IBackendModule> _backends = new(StringComparer.Ordinal);

    public ModuleRegistry(IEnumerable<IComponentModule> modules)
    {
        foreach (var module in modules) Register(module);
    }

    public IReadOnlyDictionary<string, IProbeModule> Probes => _probes;
    public IReadOnlyDictionary<string, IStepModule> Steps => _steps;
    public IReadOnlyDictionary<string, IBackendModule> Backends => _backends;

    public ModuleRegistry Register(IComponentModule module) => module switch
    {
        IProbeModule p => Add(_probes, p, "probe"),
        IStepModule s => Add(_steps, s, "step"),
        IBackendModule b => Add(_backends, b, "backend"),
        _ => throw new ArgumentException($"{module.GetType().Name} is neither a probe, a step nor a backend module", nameof(module)),
    };

    private ModuleRegistry Add<T>(Dictionary<string, T> modules, T module, string kind) where T : IComponentModule
    {
        if (!modules.TryAdd(module.Name, module)) throw new InvalidOperationException($"{kind} type \"{module.Name}\" is already registered");
        return this;
    }
}
