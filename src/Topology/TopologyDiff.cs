namespace Ingrain.Topology;

/// <summary>Names to add, change (stop the old, start the new) and remove for one kind of component.</summary>
public sealed record Difference(IReadOnlySet<string> ToAdd, IReadOnlySet<string> ToChange, IReadOnlySet<string> ToRemove)
{
    public bool IsEmpty => ToAdd.Count == 0 && ToChange.Count == 0 && ToRemove.Count == 0;

    public override string ToString() =>
        $"add [{string.Join(", ", ToAdd.Order())}] change [{string.Join(", ", ToChange.Order())}] remove [{string.Join(", ", ToRemove.Order())}]";
}

/// <summary>
/// What a reload must do to turn the running topology into the new one (Vector's <c>ConfigDiff</c>). A probe whose
/// settings are unchanged but whose <c>pipelines</c> list changed is only rewired (<see cref="ProbesToRewire"/>); it
/// stays attached. A probe feeding a pipeline that changes is rewired to the new pipeline instance too.
/// Components are compared by their canonical settings (<see cref="ProbeSpec.Canonical"/> etc.).
/// </summary>
public sealed record TopologyDiff(Difference Probes, IReadOnlySet<string> ProbesToRewire, Difference Pipelines, bool AgentChanged)
{
    public bool IsEmpty => Probes.IsEmpty && ProbesToRewire.Count == 0 && Pipelines.IsEmpty && !AgentChanged;

    public static TopologyDiff Between(TopologySpec old, TopologySpec @new)
    {
        var pipelines = Compare(old.Pipelines, @new.Pipelines, (a, b) => a.Equals(b));
        var probes = Compare(old.Probes, @new.Probes, (a, b) => a.SameSettings(b));
        var rewire = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, newProbe) in @new.Probes)
        {
            if (!old.Probes.TryGetValue(name, out var oldProbe) || probes.ToChange.Contains(name)) continue;
            if (!oldProbe.Pipelines.SequenceEqual(newProbe.Pipelines) || newProbe.Pipelines.Any(p => pipelines.ToChange.Contains(p)))
                rewire.Add(name);
        }
        return new TopologyDiff(probes, rewire, pipelines, old.Agent != @new.Agent);
    }

    private static Difference Compare<T>(IReadOnlyDictionary<string, T> old, IReadOnlyDictionary<string, T> @new, Func<T, T, bool> same)
    {
        var add = @new.Keys.Where(k => !old.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        var remove = old.Keys.Where(k => !@new.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        var change = @new.Keys.Where(k => old.TryGetValue(k, out var o) && !same(o, @new[k])).ToHashSet(StringComparer.Ordinal);
        return new Difference(add, change, remove);
    }

    public override string ToString() =>
        $"probes: {Probes}; rewire [{string.Join(", ", ProbesToRewire.Order())}]; pipelines: {Pipelines}{(AgentChanged ? "; agent settings changed (need a restart)" : "")}";
}
