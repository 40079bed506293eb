using Ingrain.Hocon;
using Ingrain.Hocon.Values;
using Ingrain.Topology.Configuration;
using Ingrain.Topology.Modules;

namespace Ingrain.Topology;

/// <summary>
/// Turns the <c>ingrain</c> object of a configuration into a <see cref="TopologySpec"/> in one pass, collecting every
/// error (with file:line:col and the component path) instead of stopping at the first, as Vector's compiler does.
/// Defaults come from <c>ingrain.defaults</c> (reference.hocon, which the user's file may override):
/// <c>defaults.probes.&lt;type&gt;</c>, <c>defaults.steps.&lt;type&gt;</c>, <c>defaults.backends.&lt;type&gt;</c>, or the
/// generic <c>defaults.probe</c> / <c>defaults.step</c> / <c>defaults.backend</c> for types reference.hocon does not list.
/// </summary>
public sealed class TopologyCompiler(ModuleRegistry registry)
{
    private static readonly Dictionary<string, EdgeOverflow> Overflows = new()
    {
        ["backpressure"] = EdgeOverflow.Backpressure,
        ["drop-incoming"] = EdgeOverflow.DropIncoming,
        ["drop-oldest"] = EdgeOverflow.DropOldest,
    };

    private readonly List<ComponentKeys> _keysRead = [];

    public CompileResult Compile(HoconObject ingrain)
    {
        _keysRead.Clear();
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        var root = new ConfigSection(ingrain, null, "ingrain", errors);
        var defaults = root.Value("defaults") as HoconObject;

        var pipelineObjects = Entries(root, "pipelines");
        var agent = CompileAgent(Required(root, "agent"), defaults, pipelineObjects.Select(p => p.Name).ToArray());
        var pipelines = new Dictionary<string, PipelineSpec>(StringComparer.Ordinal);
        foreach (var (name, section) in pipelineObjects)
        {
            if (CompilePipeline(name, section, defaults) is { } p) pipelines[name] = p;
        }

        var probes = new Dictionary<string, ProbeSpec>(StringComparer.Ordinal);
        foreach (var (name, section) in Entries(root, "probes"))
        {
            if (CompileProbe(name, section, defaults, pipelineObjects.Select(p => p.Name).ToArray(), warnings) is { } p) probes[name] = p;
        }
        root.ReportUnknownKeys();

        if (probes.Count == 0 && errors.Count == 0)
            warnings.Add(new ConfigError(ingrain.Origin.ToString(), "ingrain.probes", "no probes defined: nothing will be measured"));
        foreach (var (name, section) in errors.Count == 0 ? pipelineObjects : [])
        {
            if (!probes.Values.Any(p => p.Pipelines.Contains(name)))
                warnings.Add(new ConfigError(section.Origin.ToString(), section.Path, $"pipeline \"{name}\" is not used by any probe"));
        }

        return errors.Count == 0
            ? new CompileResult(new TopologySpec(probes, pipelines, agent), [], warnings) { KeysRead = [.. _keysRead] }
            : new CompileResult(null, errors, warnings) { KeysRead = [.. _keysRead] };
    }

    private static List<(string Name, ConfigSection Section)> Entries(ConfigSection root, string key)
    {
        var result = new List<(string, ConfigSection)>();
        var container = root.Object(key);
        if (container is null) return result;
        foreach (var (name, value) in container.User.Fields)
        {
            if (value is HoconObject o) result.Add((name, new ConfigSection(o, null, $"{container.Path}.{name}", (List<ConfigError>)container.Errors)));
            else container.ErrorAt(value, $"\"{name}\" must be an object, got {ConfigSection.Describe(value)}");
        }
        return result;
    }

    private static AgentSpec CompileAgent(ConfigSection s, HoconObject? defaults, string[] pipelineNames)
    {
        var spec = new AgentSpec(
            s.Duration("shutdown-timeout", min: TimeSpan.FromMilliseconds(1)),
            s.Bool("watch-config"),
            s.Duration("watch-debounce", min: TimeSpan.Zero),
            CompileSelfMetrics(Required(s, "self-metrics"), defaults, pipelineNames),
            CompilePrometheus(Required(s, "prometheus")));
        s.ReportUnknownKeys();
        return spec;
    }

    private static SelfMetricsSpec? CompileSelfMetrics(ConfigSection s, HoconObject? defaults, string[] pipelineNames)
    {
        var interval = s.Duration("interval", min: TimeSpan.FromMilliseconds(100));
        var pipelines = PipelineNames(s, pipelineNames, required: true);
        s.ReportUnknownKeys();
        if (pipelines.Count == 0) return null;
        // The virtual probe restarts like any probe: with the probes' default restart block.
        var probeDefaults = WithDefaults(new ConfigSection(HoconObject.Empty(s.Origin), null, s.Path, (List<ConfigError>)s.Errors),
            defaults, "probes", "probe", null);
        return new SelfMetricsSpec(interval, pipelines, CompileRestart(Required(probeDefaults, "restart")));
    }

    private static PrometheusSpec? CompilePrometheus(ConfigSection s)
    {
        var enabled = s.Bool("enabled");
        var listen = s.String("listen", required: true);
        s.ReportUnknownKeys();
        if (listen is null) return null;
        if (!System.Net.IPEndPoint.TryParse(listen, out var endpoint) || !listen.Contains(':', StringComparison.Ordinal))
        {
            s.Error("listen", $"expected an address and port such as \"127.0.0.1:9464\" or \"[::1]:9464\", got \"{listen}\"");
            return null;
        }
        return enabled ? new PrometheusSpec(endpoint) : null;
    }

    /// <summary>A <c>pipelines = [...]</c> list: each must name a pipeline of the file, once.</summary>
    private static List<string> PipelineNames(ConfigSection s, string[] pipelineNames, bool required = false)
    {
        var pipelines = new List<string>();
        switch (s.Value("pipelines"))
        {
            case HoconList list:
                foreach (var item in list.Items)
                {
                    if (item is not HoconString { Value: var p }) s.ErrorAt(item, $"pipelines: expected pipeline names, got {ConfigSection.Describe(item)}");
                    else if (!pipelineNames.Contains(p)) s.ErrorAt(item, $"pipeline \"{p}\" doesn't exist{DidYouMean.Hint(p, pipelineNames)}");
                    else if (pipelines.Contains(p)) s.ErrorAt(item, $"pipeline \"{p}\" is listed twice");
                    else pipelines.Add(p);
                }
                break;
            case null or HoconNull:
                if (required) s.Error(null, "missing required key \"pipelines\"");
                break;
            case var other:
                s.Error("pipelines", $"expected a list of pipeline names, got {ConfigSection.Describe(other)}");
                break;
        }
        return pipelines;
    }

    private ProbeSpec? CompileProbe(string name, ConfigSection raw, HoconObject? defaults, string[] pipelineNames, List<ConfigError> warnings)
    {
        var type = Lookup(raw, "probe", registry.Probes, out var typeName);
        var s = WithDefaults(raw, defaults, "probes", "probe", typeName);
        if (name == SelfMetricsSpec.ProbeName)
            s.Error(null, $"the probe name \"{name}\" is reserved for the agent's self-metrics (ingrain.agent.self-metrics); choose another name");

        var pipelines = PipelineNames(s, pipelineNames);
        if (pipelines.Count == 0 && s.Errors.Count == 0)
            warnings.Add(new ConfigError(s.Origin.ToString(), s.Path, $"probe \"{name}\" feeds no pipeline"));

        var restart = CompileRestart(Required(s, "restart"));
        var options = type?.Parse(s);
        if (type is null) return null; // its keys can't be checked against an unknown type
        s.ReportUnknownKeys();
        _keysRead.Add(new ComponentKeys(s.Path, ComponentKind.Probe, type.Name, s.KeysRead()));
        if (options is null) return null;
        return new ProbeSpec(name, type, options, pipelines, restart, s.Canonical("pipelines"));
    }

    private static RestartSpec CompileRestart(ConfigSection s)
    {
        var min = s.Duration("min-backoff", min: TimeSpan.FromMilliseconds(1));
        var max = s.Duration("max-backoff", min: TimeSpan.FromMilliseconds(1));
        if (max < min) s.Error("max-backoff", $"must be at least min-backoff ({min}), got {max}");
        var spec = new RestartSpec(min, max,
            s.Double("random-factor", 0, 1),
            s.Int("max-retries", min: -1),
            s.Duration("reset-after", min: TimeSpan.Zero));
        s.ReportUnknownKeys();
        return spec;
    }

    private PipelineSpec? CompilePipeline(string name, ConfigSection s, HoconObject? defaults)
    {
        var steps = new List<StepSpec>();
        var failed = false;
        foreach (var raw in s.ObjectList("steps"))
        {
            var type = Lookup(raw, "step", registry.Steps, out var typeName);
            var step = WithDefaults(raw, defaults, "steps", "step", typeName);
            var mailbox = CompileMailbox(Required(step, "mailbox"));
            var restart = CompileBackoff(Required(step, "restart"));
            var options = type?.Parse(step);
            if (type is not null)
            {
                step.ReportUnknownKeys();
                _keysRead.Add(new ComponentKeys(step.Path, ComponentKind.Step, type.Name, step.KeysRead()));
            }
            if (type is null || options is null) failed = true;
            else steps.Add(new StepSpec(step.Path, type, options, mailbox, restart, step.Canonical()));
        }

        var backend = CompileBackend(s, defaults);
        s.ReportUnknownKeys();
        return failed || backend is null ? null : new PipelineSpec(name, steps, backend);
    }

    private BackendSpec? CompileBackend(ConfigSection pipeline, HoconObject? defaults)
    {
        var raw = pipeline.Object("backend");
        if (raw is null)
        {
            pipeline.Error(null, "missing required key \"backend\" (e.g. backend { type = console })");
            return null;
        }
        var type = Lookup(raw, "backend", registry.Backends, out var typeName);
        var s = WithDefaults(raw, defaults, "backends", "backend", typeName);
        var mailbox = CompileMailbox(Required(s, "mailbox"));
        var restart = CompileBackoff(Required(s, "restart"));
        var flushInterval = s.Duration("flush-interval", min: TimeSpan.FromMilliseconds(1));
        var options = type?.Parse(s);
        if (type is not null)
        {
            s.ReportUnknownKeys();
            _keysRead.Add(new ComponentKeys(s.Path, ComponentKind.Backend, type.Name, s.KeysRead()));
        }
        return type is null || options is null ? null : new BackendSpec(s.Path, type, options, mailbox, restart, flushInterval, s.Canonical());
    }

    private static BackoffSpec CompileBackoff(ConfigSection s)
    {
        var min = s.Duration("min-backoff", min: TimeSpan.FromMilliseconds(1));
        var max = s.Duration("max-backoff", min: TimeSpan.FromMilliseconds(1));
        if (max < min) s.Error("max-backoff", $"must be at least min-backoff ({min}), got {max}");
        var spec = new BackoffSpec(min, max, s.Double("random-factor", 0, 1), s.Duration("reset-after", min: TimeSpan.Zero));
        s.ReportUnknownKeys();
        return spec;
    }

    private static MailboxSpec CompileMailbox(ConfigSection s)
    {
        var spec = new MailboxSpec(s.Int("capacity", min: 1), s.Choice("overflow", Overflows));
        s.ReportUnknownKeys();
        return spec;
    }

    /// <summary>
    /// A nested block that reference.hocon always provides; when even that is missing (a user who set it to null),
    /// its keys are reported missing one by one.
    /// </summary>
    private static ConfigSection Required(ConfigSection s, string key) =>
        s.Object(key) ?? new ConfigSection(HoconObject.Empty(s.Origin), null, $"{s.Path}.{key}", (List<ConfigError>)s.Errors);

    /// <summary>Reads <c>type</c> and finds it in <paramref name="types"/>, reporting unknown types with the known list.</summary>
    private static T? Lookup<T>(ConfigSection s, string kind, IReadOnlyDictionary<string, T> types, out string? typeName) where T : class
    {
        typeName = s.String("type", required: true);
        if (typeName is null) return null;
        if (types.TryGetValue(typeName, out var type)) return type;
        s.Error("type", $"unknown {kind} type \"{typeName}\"{DidYouMean.Hint(typeName, types.Keys)} (known: {string.Join(", ", types.Keys.Order())})");
        typeName = null;
        return null;
    }

    /// <summary>
    /// The same user object, now with defaults behind it: the type's own (<c>defaults.steps.buffer</c>) laid over the
    /// kind's generic ones (<c>defaults.step</c>), so overriding a generic default in the user's file reaches every type.
    /// </summary>
    internal static ConfigSection WithDefaults(ConfigSection s, HoconObject? defaults, string perType, string generic, string? typeName)
    {
        HoconObject? specific = null, common = null;
        if (defaults is not null)
        {
            if (typeName is not null && defaults.TryGetValue(perType, out var all) && all is HoconObject byType
                && byType.TryGetValue(typeName, out var t) && t is HoconObject o)
                specific = o;
            if (defaults.TryGetValue(generic, out var g) && g is HoconObject go) common = go;
        }
        var chosen = (specific, common) switch
        {
            ({ } a, { } b) => new Config(a).WithFallback(new Config(b)).Root,
            _ => specific ?? common,
        };
        var section = new ConfigSection(s.User, chosen, s.Path, (List<ConfigError>)s.Errors);
        section.Value("type");
        return section;
    }
}
