namespace Ingrain.Actors.Topology;

/// <summary>
/// The probe, step and backend types a topology may name. Registration is explicit (no reflection scanning) so the
/// composition root shows the whole list; registering a name twice is a programming error and throws.
/// </summary>
public sealed class ComponentRegistry
{
    private readonly Dictionary<string, ProbeType> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StepType> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackendType> _backends = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ProbeType> Probes => _probes;
    public IReadOnlyDictionary<string, StepType> Steps => _steps;
    public IReadOnlyDictionary<string, BackendType> Backends => _backends;

    public ComponentRegistry Register(ProbeType type) => Add(_probes, type.Name, type, "probe");
    public ComponentRegistry Register(StepType type) => Add(_steps, type.Name, type, "step");
    public ComponentRegistry Register(BackendType type) => Add(_backends, type.Name, type, "backend");

    private ComponentRegistry Add<T>(Dictionary<string, T> types, string name, T type, string kind)
    {
        if (!types.TryAdd(name, type)) throw new InvalidOperationException($"{kind} type \"{name}\" is already registered");
        return this;
    }
}
