using Ingrain.Hocon;
using Ingrain.Hocon.Values;
using Ingrain.Topology.Configuration;
using Ingrain.Topology.Modules;

namespace Ingrain.Topology;

/// <summary>
/// Flags misspelt keys under the user's <c>ingrain.defaults</c>, which used to be ignored without a word (a default that
/// never applies): the kinds (<c>probe</c>, <c>steps</c>, …), the type names below <c>probes</c>/<c>steps</c>/
/// <c>backends</c>, and the keys in each block. A key is known when reference.hocon has it, when the topology compiler
/// reads it for every component of the kind (<c>mailbox</c>, <c>restart</c>, …), or when the type's own parser reads
/// it (found by parsing the block on its own; errors of that trial parse, such as a missing required key, are
/// dropped: a defaults block need not be complete).
/// </summary>
internal sealed class DefaultsKeyCheck(ModuleRegistry registry)
{
    private sealed record Kind(string Generic, string PerType, IReadOnlyDictionary<string, Func<ConfigSection, object?>> Parsers, string[] CompilerKeys);

    public IEnumerable<ConfigError> Check(HoconObject userDefaults, HoconObject referenceDefaults)
    {
        Kind[] kinds =
        [
            new("probe", "probes", registry.Probes.ToDictionary(p => p.Key, p => (Func<ConfigSection, object?>)p.Value.Parse), ["restart", "pipelines", "type"]),
            new("step", "steps", registry.Steps.ToDictionary(p => p.Key, p => (Func<ConfigSection, object?>)p.Value.Parse), ["mailbox", "type"]),
            new("backend", "backends", registry.Backends.ToDictionary(p => p.Key, p => (Func<ConfigSection, object?>)p.Value.Parse), ["mailbox", "flush-interval", "type"]),
        ];
        var errors = new List<ConfigError>();
        var top = kinds.SelectMany(k => new[] { k.Generic, k.PerType }).ToArray();
        foreach (var (key, value) in userDefaults.Fields)
        {
            var path = $"ingrain.defaults.{key}";
            var kind = kinds.FirstOrDefault(k => k.Generic == key || k.PerType == key);
            if (kind is null)
            {
                errors.Add(Unknown(value, "ingrain.defaults", key, top));
                continue;
            }
            if (value is not HoconObject block) continue; // the compiler reports a wrong type where it reads it
            var reference = referenceDefaults.TryGetValue(key, out var r) ? r as HoconObject : null;
            if (key == kind.Generic) CheckBlock(block, path, KnownForKind(kind, referenceDefaults), reference, errors);
            else CheckTypes(block, path, kind, referenceDefaults, errors);
        }
        return errors;
    }

    private void CheckTypes(HoconObject types, string path, Kind kind, HoconObject referenceDefaults, List<ConfigError> errors)
    {
        var referenceTypes = Child(referenceDefaults, kind.PerType);
        foreach (var (type, value) in types.Fields)
        {
            if (!kind.Parsers.TryGetValue(type, out var parse))
            {
                errors.Add(Unknown(value, path, type, kind.Parsers.Keys, what: $"{kind.Generic} type"));
                continue;
            }
            if (value is not HoconObject block) continue;
            var reference = Child(referenceTypes, type);
            var generic = Child(referenceDefaults, kind.Generic);
            var known = ReadBy(parse, block, Merge(reference, generic)).Concat(kind.CompilerKeys).Concat(reference?.Keys ?? []).Concat(generic?.Keys ?? []);
            CheckBlock(block, $"{path}.{type}", known.ToHashSet(StringComparer.Ordinal), generic, errors);
        }
    }

    /// <summary>Keys of the block must be known; the compiler's own nested blocks (mailbox, restart) are checked one level down.</summary>
    private static void CheckBlock(HoconObject block, string path, IReadOnlySet<string> known, HoconObject? generic, List<ConfigError> errors)
    {
        foreach (var (key, value) in block.Fields)
        {
            if (!known.Contains(key))
            {
                errors.Add(Unknown(value, path, key, known));
                continue;
            }
            if (key is "mailbox" or "restart" && value is HoconObject nested && Child(generic, key) is { } referenceNested)
            {
                foreach (var (inner, innerValue) in nested.Fields)
                {
                    if (!referenceNested.ContainsKey(inner)) errors.Add(Unknown(innerValue, $"{path}.{key}", inner, referenceNested.Keys));
                }
            }
        }
    }

    private HashSet<string> KnownForKind(Kind kind, HoconObject referenceDefaults)
    {
        var generic = Child(referenceDefaults, kind.Generic);
        var referenceTypes = Child(referenceDefaults, kind.PerType);
        var known = new HashSet<string>(kind.CompilerKeys.Concat(generic?.Keys ?? []), StringComparer.Ordinal);
        foreach (var (type, parse) in kind.Parsers)
        {
            var reference = Child(referenceTypes, type);
            known.UnionWith(reference?.Keys ?? []);
            known.UnionWith(ReadBy(parse, Config.Empty.Root, Merge(reference, generic)));
        }
        return known;
    }

    /// <summary>The keys a type's parser asks for when it parses <paramref name="block"/>.</summary>
    private static IReadOnlyCollection<string> ReadBy(Func<ConfigSection, object?> parse, HoconObject block, HoconObject? defaults)
    {
        var section = new ConfigSection(block, defaults, "(trial)", []);
        try
        {
            parse(section);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A parser that cannot cope with a partial block still told us the keys it read before failing.
        }
        return section.ReadKeys;
    }

    private static HoconObject? Merge(HoconObject? over, HoconObject? under) =>
        (over, under) switch
        {
            ({ } a, { } b) => new Config(a).WithFallback(new Config(b)).Root,
            _ => over ?? under,
        };

    private static HoconObject? Child(HoconObject? parent, string key) =>
        parent is not null && parent.TryGetValue(key, out var v) ? v as HoconObject : null;

    private static ConfigError Unknown(HoconValue value, string path, string key, IEnumerable<string> known, string what = "key") =>
        new(value.Origin.ToString(), path, $"unknown {what} \"{key}\"{DidYouMean.Hint(key, known)}");
}
