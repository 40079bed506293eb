using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Resolution;

/// <summary>
/// Replaces substitutions with values. Paths are looked up from the root of the whole document, lazily: only the
/// values a lookup passes through are resolved. Each node is resolved once (memoized); re-entering a node that is
/// being resolved is a cycle.
/// </summary>
internal sealed class Resolver
{
    private readonly HoconObject _root;
    private readonly HoconParseOptions _options;
    private readonly Dictionary<HoconValue, HoconValue?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(MergeNode, string), (LayerKind, HoconValue?)> _mergeChildren = [];
    private readonly List<SubstitutionNode> _substitutionStack = [];

    /// <summary>While an unresolved layer of a merge is being resolved, lookups through that merge see only the
    /// layers below it (the reference's "look back" rule); null means nothing is below.</summary>
    private readonly Dictionary<HoconValue, HoconValue?> _replacements = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<HoconValue, (long Values, long Chars)> _sizes = new(ReferenceEqualityComparer.Instance);
    private readonly ResolutionBudget _budget;
    private int _depth;

    private Resolver(HoconObject root, HoconParseOptions options)
    {
        _root = root;
        _options = options;
        _budget = new ResolutionBudget(options);
    }

    public static HoconObject ResolveRoot(HoconObject root, HoconParseOptions options)
    {
        if (ResolvedCheck.IsResolved(root)) return root;
        return (HoconObject)new Resolver(root, options).Resolve(root)!;
    }

    /// <summary>The resolved value, or null when it is undefined (an optional substitution with no target).</summary>
    private HoconValue? Resolve(HoconValue value)
    {
        if (value is HoconString or HoconNumber or HoconBoolean or HoconNull) return value;
        // Like the reference, only a value is remembered: "undefined" is worked out again at each use, because a
        // ${?x} cut short by a cycle may have a value once the cycle is left (a = ${?c} ${?d}, c = ${?a}).
        if (_resolved.TryGetValue(value, out var done)) return done;
        if (!_inProgress.Add(value)) throw Cycle(value);
        _depth++;
        try
        {
            if (_depth > _options.MaxDepth * 4 || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
                throw new HoconException($"substitutions nest too deep (more than {_options.MaxDepth * 4} levels)", value.Origin);
            var result = value switch
            {
                HoconObject obj => ResolveObject(obj),
                HoconList list => ResolveList(list),
                SubstitutionNode substitution => ResolveSubstitution(substitution),
                ConcatenationNode concatenation => ResolveConcatenation(concatenation),
                MergeNode merge => ResolveMerge(merge),
                SelfReferenceNode self => ResolveSelfReference(self),
                ProjectionNode projection => ResolveProjection(projection),
                _ => throw new HoconException($"unexpected value node {value.GetType().Name}", value.Origin),
            };
            if (result is not null) _resolved[value] = result;
            else _budget.SpendUndefined(value.Origin);
            return result;
        }
        finally
        {
            _depth--;
            _inProgress.Remove(value);
        }
    }

    private const int CycleLinksShownAtEachEnd = 4;

    private HoconCycleException Cycle(HoconValue value)
    {
        var links = _substitutionStack.Select(s => $"${{{HoconException.Clip(s.Path.ToString())}}} at {s.Origin}").ToList();
        if (links.Count > 2 * CycleLinksShownAtEachEnd + 1)
        {
            // A long chain (hostile input) keeps its ends, so the message stays readable.
            var leftOut = links.Count - 2 * CycleLinksShownAtEachEnd;
            links = [.. links[..CycleLinksShownAtEachEnd], $"...({leftOut} more)...", .. links[^CycleLinksShownAtEachEnd..]];
        }
        var chain = string.Join(" -> ", links);
        var path = _substitutionStack.Count > 0 ? _substitutionStack[^1].Path.ToString() : null;
        return new HoconCycleException($"cycle in substitutions: {(chain.Length > 0 ? chain : "value refers to itself")}", value.Origin, path);
    }

    private HoconObject ResolveObject(HoconObject obj)
    {
        var results = new Dictionary<string, HoconValue?>(obj.Count, StringComparer.Ordinal);
        var changed = false;
        foreach (var key in ReferenceOrder.Of(obj.Fields))
        {
            var child = obj[key];
            var resolved = Resolve(child);
            if (!ReferenceEquals(resolved, child)) changed = true;
            results[key] = resolved;
        }
        if (!changed) return CheckSize(obj);
        var fields = new OrderedDictionary<string, HoconValue>(obj.Count, StringComparer.Ordinal);
        foreach (var key in obj.Keys)
        {
            if (results[key] is { } value) fields[key] = value;
        }
        return CheckSize(new HoconObject(obj.Origin, fields));
    }

    private HoconList ResolveList(HoconList list)
    {
        var items = new List<HoconValue>(list.Count);
        var changed = false;
        foreach (var item in list.Items)
        {
            var resolved = Resolve(item);
            if (!ReferenceEquals(resolved, item)) changed = true;
            if (resolved is not null) items.Add(resolved);
        }
        return CheckSize(changed ? new HoconList(list.Origin, items) : list);
    }

    /// <summary>Counts values and string characters as if every shared (substituted) value were copied, and stops
    /// runaway growth.</summary>
    /// <param name="origin">Where to report a failure; the value's own origin when null.</param>
    [return: NotNullIfNotNull(nameof(value))]
    private T? CheckSize<T>(T? value, HoconOrigin? origin = null) where T : HoconValue
    {
        if (value is null) return null;
        var (values, chars) = SizeOf(value);
        _budget.CheckSize(values, chars, origin ?? value.Origin);
        return value;
    }

    private (long Values, long Chars) SizeOf(HoconValue value)
    {
        if (value is HoconString s) return (1, s.Value.Length);
        if (value is not (HoconObject or HoconList)) return (1, 0);
        if (_sizes.TryGetValue(value, out var known)) return known;
        (long Values, long Chars) size = (1, 0);
        var children = value is HoconObject obj ? obj.Fields.Values : ((HoconList)value).Items;
        foreach (var child in children)
        {
            var (values, chars) = SizeOf(child);
            size = (Math.Min(size.Values + values, long.MaxValue / 2), Math.Min(size.Chars + chars, long.MaxValue / 2));
        }
        _sizes[value] = size;
        return size;
    }

    private HoconValue? ResolveSubstitution(SubstitutionNode substitution)
    {
        _substitutionStack.Add(substitution);
        try
        {
            var value = Lookup(substitution.Path);
            if (value is null && substitution.PrefixLength > 0) value = Lookup(substitution.UnprefixedPath);
            return value ?? FromEnvironment(substitution) ?? Undefined(substitution);
        }
        catch (HoconCycleException) when (substitution.Optional)
        {
            // A cycle reached through ${?x} counts as undefined.
            return null;
        }
        finally
        {
            _substitutionStack.RemoveAt(_substitutionStack.Count - 1);
        }
    }

    private HoconValue? ResolveSelfReference(SelfReferenceNode self)
    {
        var previous = self.Previous is null ? null : Resolve(self.Previous);
        return previous ?? FromEnvironment(self.Substitution) ?? Undefined(self.Substitution);
    }

    /// <summary>Null for an optional substitution; throws for a required one.</summary>
    private static HoconValue? Undefined(SubstitutionNode substitution) =>
        substitution.Optional
            ? null
            : throw new HoconException(
                $"could not resolve substitution ${{{HoconException.Clip(substitution.UnprefixedPath.ToString())}}} to a value (define it, or use ${{?...}} for an optional value)",
                substitution.Origin, substitution.UnprefixedPath.ToString());

    private HoconString? FromEnvironment(SubstitutionNode substitution)
    {
        if (!_options.UseEnvironment) return null;
        var name = string.Join('.', substitution.UnprefixedPath.Keys);
        string? value;
        try
        {
            value = Environment.GetEnvironmentVariable(name);
        }
        catch (System.Security.SecurityException)
        {
            value = null;
        }
        return value is null ? null : new HoconString(new HoconOrigin($"env var {name}", 0, 0), value);
    }

    private HoconValue? ResolveConcatenation(ConcatenationNode concatenation)
    {
        var pieces = new List<HoconValue>(concatenation.Pieces.Count);
        foreach (var piece in concatenation.Pieces)
        {
            var resolved = Resolve(piece);
            if (resolved is not null) pieces.Add(resolved);
        }
        return CheckSize(Concatenation.Join(pieces, _budget, concatenation.Origin), concatenation.Origin);
    }

    private HoconValue? ResolveMerge(MergeNode merge)
    {
        HoconValue? result = null;
        var hidden = false; // a value that is not an object hides every layer below it
        for (var i = 0; i < merge.Layers.Count; i++)
        {
            // Every layer is resolved, even a hidden one, as the reference does: a required substitution there still
            // fails, and what resolving it settles (seen from below this merge) is what later lookups get.
            var layer = merge.Layers[i];
            var resolved = layer is UnresolvedValue ? ResolveWithReplacement(merge, i) : Resolve(layer);
            if (resolved is null || hidden) continue;
            if (result is null)
            {
                result = resolved;
                hidden = result is not HoconObject;
                continue;
            }
            if (resolved is not HoconObject)
            {
                hidden = true;
                continue;
            }
            result = Merger.Merge(result, resolved);
        }
        return CheckSize(result, merge.Origin);
    }

    private HoconValue? ResolveWithReplacement(MergeNode merge, int layer)
    {
        var below = merge.Layers.Count - layer - 1;
        HoconValue? remainder = below switch
        {
            0 => null,
            1 => merge.Layers[^1],
            _ => new MergeNode(merge.Layers[layer + 1].Origin, merge.Layers.Skip(layer + 1).ToList()),
        };
        var hadOuter = _replacements.TryGetValue(merge, out var outer);
        _replacements[merge] = remainder;
        try
        {
            return Resolve(merge.Layers[layer]);
        }
        finally
        {
            if (hadOuter) _replacements[merge] = outer;
            else _replacements.Remove(merge);
        }
    }

    private HoconValue? ResolveProjection(ProjectionNode projection)
    {
        HoconValue? current = Resolve(projection.Source);
        for (var i = 0; i < projection.Path.Count && current is not null; i++)
        {
            current = current is HoconObject obj && obj.TryGetValue(projection.Path[i], out var child) ? Resolve(child) : null;
        }
        return current;
    }

    /// <summary>The resolved value at an absolute path, or null when nothing is there.</summary>
    private HoconValue? Lookup(HoconPath path)
    {
        var node = LookupNode(path);
        return node is null ? null : Resolve(node);
    }

    /// <summary>The node at an absolute path, resolving only what is needed to get there.</summary>
    private HoconValue? LookupNode(HoconPath path)
    {
        HoconValue? node = _root;
        for (var i = 0; i < path.Count && node is not null; i++)
        {
            node = Child(node, path[i]);
            if (node is not null && _replacements.TryGetValue(node, out var replacement)) node = replacement;
        }
        return node;
    }

    /// <summary>The (possibly unresolved) child of a node, resolving only what is needed to find it.</summary>
    private HoconValue? Child(HoconValue node, string key)
    {
        if (node is HoconObject obj) return obj.TryGetValue(key, out var child) ? child : null;
        return LayerChild(node, key, null).Child;
    }

    private enum LayerKind
    {
        Undefined,
        NonObject,
        Object,
    }

    /// <summary>
    /// What a value is (object, something else, or nothing) and its child <paramref name="key"/>, following
    /// substitutions to their targets without resolving whole objects: looking up <c>item.b</c> through
    /// <c>item = ${defaults}</c> only needs <c>defaults.b</c>, even while other fields of <c>defaults</c> are
    /// being resolved.
    /// </summary>
    private (LayerKind Kind, HoconValue? Child) LayerChild(HoconValue node, string key, HashSet<HoconValue>? following)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new HoconException("substitutions nest too deep", node.Origin);
        switch (node)
        {
            case HoconObject obj:
                return (LayerKind.Object, obj.TryGetValue(key, out var child) ? child : null);
            case HoconString or HoconNumber or HoconBoolean or HoconNull or HoconList:
                return (LayerKind.NonObject, null);
            case SubstitutionNode substitution:
            {
                if (_resolved.TryGetValue(substitution, out var done))
                    return done is null ? (LayerKind.Undefined, null) : LayerChild(done, key, following);
                following ??= new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
                if (!following.Add(substitution)) throw Cycle(substitution);
                var target = LookupNode(substitution.Path);
                if (target is null && substitution.PrefixLength > 0) target = LookupNode(substitution.UnprefixedPath);
                if (target is not null) return LayerChild(target, key, following);
                return FromEnvironment(substitution) is not null ? (LayerKind.NonObject, null) : UndefinedLayer(substitution);
            }
            case SelfReferenceNode self:
                if (self.Previous is not null)
                {
                    var previous = LayerChild(self.Previous, key, following);
                    if (previous.Kind != LayerKind.Undefined) return previous;
                }
                return FromEnvironment(self.Substitution) is not null ? (LayerKind.NonObject, null) : UndefinedLayer(self.Substitution);
            case MergeNode merge:
                if (!_mergeChildren.TryGetValue((merge, key), out var merged))
                {
                    merged = MergeChild(merge, key, out var skippedLayer);
                    // A layer skipped because of a cycle may resolve later, so such an answer is not final.
                    if (!skippedLayer) _mergeChildren[(merge, key)] = merged;
                }
                return merged;
            default:
                var resolved = Resolve(node);
                return resolved is null ? (LayerKind.Undefined, null) : LayerChild(resolved, key, following);
        }
    }

    /// <summary>An optional substitution with no value is an absent layer; a required one is an error.</summary>
    private static (LayerKind, HoconValue?) UndefinedLayer(SubstitutionNode substitution)
    {
        Undefined(substitution);
        return (LayerKind.Undefined, null);
    }

    /// <summary>The child <paramref name="key"/> of a merge: the layers' children, highest first, down to the first
    /// layer that hides the rest.</summary>
    private (LayerKind Kind, HoconValue? Child) MergeChild(MergeNode merge, string key, out bool skippedLayer)
    {
        skippedLayer = false;
        var kind = LayerKind.Undefined;
        var found = new List<HoconValue>();
        foreach (var layer in merge.Layers)
        {
            (LayerKind Kind, HoconValue? Child) layerChild;
            try
            {
                layerChild = LayerChild(layer, key, null);
            }
            catch (HoconCycleException)
            {
                // The layer needs the value being looked up: the reference skips it and looks below.
                skippedLayer = true;
                continue;
            }
            if (layerChild.Kind == LayerKind.Undefined) continue;
            if (layerChild.Kind == LayerKind.NonObject)
            {
                if (kind == LayerKind.Undefined) kind = LayerKind.NonObject;
                break;
            }
            kind = LayerKind.Object;
            if (layerChild.Child is not { } child) continue;
            found.Add(child);
            if (child is not (HoconObject or UnresolvedValue)) break;
        }
        var combined = found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => new MergeNode(found[0].Origin, found),
        };
        return (kind, kind == LayerKind.Object ? combined : null);
    }
}
