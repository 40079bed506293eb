using Ingrain.Actors.Backends;
using Ingrain.Actors.Metrics;
using Ingrain.Actors.Pipeline;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Topology;

/// <summary>
/// What every component type has: the HOCON <c>type</c> name, a settings parser that reports errors on the
/// <see cref="ConfigSection"/> (returning null when unusable), and a factory from parsed settings to the component.
/// </summary>
public abstract class ComponentType<TContext, TComponent>(string name, Func<ConfigSection, object?> parse,
    Func<object, TContext, TComponent> create)
{
    public string Name { get; } = name;

    public object? Parse(ConfigSection section) => parse(section);

    private protected TComponent Build(object options, TContext context) => create(options, context);

    /// <summary>Wraps a typed factory so the registry can hold every type's options as <c>object</c>.</summary>
    private protected static Func<object, TContext, TComponent> Untyped<TOptions>(Func<TOptions, TContext, TComponent> create)
        where TOptions : class => (o, c) => create((TOptions)o, c);

    public override string ToString() => Name;
}

/// <summary>A step type (<c>type = buffer</c>): settings parser and step factory.</summary>
public sealed class StepType(string name, Func<ConfigSection, object?> parse, Func<object, StepContext, IPipelineStep> create)
    : ComponentType<StepContext, IPipelineStep>(name, parse, create)
{
    public IPipelineStep Create(object options, StepContext context) => Build(options, context);

    public static StepType Of<TOptions>(string name, Func<ConfigSection, TOptions?> parse, Func<TOptions, StepContext, IPipelineStep> create)
        where TOptions : class => new(name, parse, Untyped(create));
}

/// <summary>What a backend writer may use when it is built.</summary>
public sealed record BackendContext(ILoggerFactory LoggerFactory, TimeProvider Time);

/// <summary>A backend type (<c>backend { type = console }</c>): settings parser and writer factory.</summary>
public sealed class BackendType(string name, Func<ConfigSection, object?> parse, Func<object, BackendContext, IBackendWriter> create)
    : ComponentType<BackendContext, IBackendWriter>(name, parse, create)
{
    public IBackendWriter Create(object options, BackendContext context) => Build(options, context);

    public static BackendType Of<TOptions>(string name, Func<ConfigSection, TOptions?> parse, Func<TOptions, BackendContext, IBackendWriter> create)
        where TOptions : class => new(name, parse, Untyped(create));
}

/// <summary>Where a running probe sends what it reads. Thread-safe; may block when the pipelines are full (backpressure).</summary>
public interface IProbeSink
{
    void Emit(Measurement measurement);

    void Emit(IReadOnlyList<Measurement> measurements);
}

/// <summary>
/// A started probe. <see cref="RunAsync"/> reads until cancelled; an exception from it (or from starting) is a
/// probe failure, handled by the probe's backoff supervisor. Disposal detaches.
/// </summary>
public interface IProbeRunner : IAsyncDisposable
{
    Task RunAsync(IProbeSink sink, CancellationToken cancellationToken);
}

/// <summary>What a probe may use when it starts.</summary>
public sealed record ProbeContext(string Name, ILoggerFactory LoggerFactory, TimeProvider Time);

/// <summary>
/// A probe type (<c>type = exec</c>): settings parser and starter. Adding a probe type to the agent is one
/// <see cref="ComponentRegistry.Register(ProbeType)"/> line in the composition root.
/// </summary>
public sealed class ProbeType(string name, Func<ConfigSection, object?> parse, Func<object, ProbeContext, IProbeRunner> start)
    : ComponentType<ProbeContext, IProbeRunner>(name, parse, start)
{
    /// <summary>Starts (attaches) the probe; may throw, which the supervisor answers with a backoff restart.</summary>
    public IProbeRunner Start(object options, ProbeContext context) => Build(options, context);

    public static ProbeType Of<TOptions>(string name, Func<ConfigSection, TOptions?> parse, Func<TOptions, ProbeContext, IProbeRunner> start)
        where TOptions : class => new(name, parse, Untyped(start));
}
