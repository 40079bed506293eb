namespace Ingrain.Probes;

/// <summary>
/// The probe kinds the agent knows, by HOCON type. Explicit registration (no reflection scanning) keeps the list
/// visible in the composition root; duplicates of a type or an opcode are programming errors and throw.
/// </summary>
public sealed class ProbeRegistry
{
    private readonly Dictionary<string, IProbeModule> _byType = new(StringComparer.Ordinal);
    // Only the uniqueness guard for opcodes (the first byte of a record picks its decoder), kept with the module
    // that claimed each one so the error can name it; nothing looks probes up by opcode.
    private readonly Dictionary<OpCode, IProbeModule> _byOpCode = [];

    /// <summary>A registry holding every built-in probe.</summary>
    public static ProbeRegistry CreateDefault()
    {
        var registry = new ProbeRegistry();
        registry.Register(new Exec.ExecModule());
        registry.Register(new Network.NetworkModule());
        return registry;
    }

    public IEnumerable<string> Types => _byType.Keys;

    public void Register(IProbeModule module)
    {
        if (_byType.ContainsKey(module.Type)) throw new InvalidOperationException($"probe type \"{module.Type}\" is already registered");
        foreach (var op in module.OpCodes)
        {
            if (_byOpCode.TryGetValue(op, out var other))
                throw new InvalidOperationException($"opcode {op} of probe \"{module.Type}\" is already claimed by \"{other.Type}\"");
        }
        _byType.Add(module.Type, module);
        foreach (var op in module.OpCodes) _byOpCode.Add(op, module);
    }

    public bool TryGet(string type, out IProbeModule module) => _byType.TryGetValue(type, out module!);

    public IProbeModule Get(string type) =>
        TryGet(type, out var m) ? m : throw new KeyNotFoundException($"unknown probe type \"{type}\"; known: {string.Join(", ", Types)}");
}
