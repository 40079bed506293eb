using Ingrain.Topology.Modules;

namespace Ingrain.Topology;

/// <summary>
/// A compiled topology: pure data, no running parts. Specs compare by value (their canonical settings text),
/// never by record equality over collections, so an unchanged component is recognised as unchanged on reload.
/// </summary>
public sealed record TopologySpec(
    IReadOnlyDictionary<string, ProbeSpec> Probes,
    IReadOnlyDictionary<string, PipelineSpec> Pipelines,
    AgentSpec Agent)
{
    public bool Equals(TopologySpec? other) =>
        other is not null && Agent == other.Agent && SameEntries(Probes, other.Probes) && SameEntries(Pipelines, other.Pipelines);

    public override int GetHashCode() => HashCode.Combine(Probes.Count, Pipelines.Count, Agent);

    /// <summary>
    /// The user's <c>akka { }</c> block (Akka.NET's own settings: dispatchers, log level), resolved by the project's
    /// HOCON library and rendered as JSON — Akka's parser never sees user-written HOCON. Read at start only.
    /// </summary>
    public string? AkkaJson { get; init; }

    private static bool SameEntries<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && EqualityComparer<T>.Default.Equals(kv.Value, other));
}

/// <summary>Agent-wide settings (<c>ingrain.agent</c>); changing them needs a restart, not a reload.</summary>
/// <param name="SelfMetrics">The agent's own counters as measurements (<c>self-metrics</c>); null when off (no pipelines named).</param>
/// <param name="Prometheus">The Prometheus endpoint (<c>prometheus</c>); null when off.</param>
public sealed record AgentSpec(TimeSpan ShutdownTimeout, bool WatchConfig, TimeSpan WatchDebounce,
    SelfMetricsSpec? SelfMetrics = null, PrometheusSpec? Prometheus = null);

/// <summary>
/// <c>ingrain.agent.self-metrics</c>: every counter of the status is emitted every <paramref name="Interval"/> into
/// <paramref name="Pipelines"/> (a virtual probe of the topology), restarted after a failure by <paramref name="Restart"/>
/// (the probes' default restart block).
/// </summary>
public sealed record SelfMetricsSpec(TimeSpan Interval, IReadOnlyList<string> Pipelines, RestartSpec Restart)
{
    /// <summary>The virtual probe's name in the topology, its status path and its <c>probe</c> label: reserved, so no
    /// configured probe may take it.</summary>
    public const string ProbeName = "ingrain.agent.self-metrics";

    public bool Equals(SelfMetricsSpec? other) =>
        other is not null && Interval == other.Interval && Pipelines.SequenceEqual(other.Pipelines) && Restart == other.Restart;

    public override int GetHashCode() => HashCode.Combine(Interval, Pipelines.Count);
}

/// <summary><c>ingrain.agent.prometheus</c>: where <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> are served.</summary>
public sealed record PrometheusSpec(System.Net.IPEndPoint Listen);

/// <summary>
/// A probe: its type-specific settings (<see cref="Options"/>, built by its <see cref="ProbeType"/>), the pipelines it
/// feeds, and how it is restarted. <see cref="Canonical"/> excludes <c>pipelines</c>: changing only where a probe
/// sends is a rewire, not a restart.
/// </summary>
public sealed record ProbeSpec(string Name, IProbeModule Type, object Options, IReadOnlyList<string> Pipelines, RestartSpec Restart, string Canonical)
{
    public bool Equals(ProbeSpec? other) =>
        other is not null && Name == other.Name && Type.Name == other.Type.Name && Canonical == other.Canonical
        && Pipelines.SequenceEqual(other.Pipelines);

    public override int GetHashCode() => HashCode.Combine(Name, Canonical);

    /// <summary>
    /// Why the agent does not start this probe at all (the kernel lacks what its type needs, see
    /// <see cref="IProbeModule.Requirements"/>): it stays "not attached (reason)" and is never retried. Not part of the
    /// spec's value: it is a fact of the machine, not of the configuration.
    /// </summary>
    public string? Refused { get; init; }

    /// <summary>Same probe, same settings: the running probe can stay attached (maybe rewired).</summary>
    public bool SameSettings(ProbeSpec other) => Type.Name == other.Type.Name && Canonical == other.Canonical;
}

/// <summary>The <c>restart</c> block of a probe: backoff between restarts after a failure (Akka's BackoffSupervisor).</summary>
/// <summary>The restart delays of a step or backend: min(max, min·2ⁿ)·(1+rand·factor), n back to 0 after reset-after without failure.</summary>
public sealed record BackoffSpec(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor, TimeSpan ResetAfter)
{
    /// <summary>The delay before the <paramref name="failures"/>-th consecutive restart (1-based).</summary>
    public TimeSpan Delay(int failures, double random)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var ticks = Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (1 + random * RandomFactor)));
    }
}

public sealed record RestartSpec(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor, int MaxRetries, TimeSpan ResetAfter);

/// <summary>What a component's inbox does when it is full.</summary>
public enum EdgeOverflow
{
    /// <summary>The sender waits (the default for steps): nothing is lost, slowness propagates upstream.</summary>
    Backpressure,

    /// <summary>The arriving batch is discarded and counted.</summary>
    DropIncoming,

    /// <summary>The oldest queued batch is discarded and counted.</summary>
    DropOldest,
}

/// <summary>A component's inbox: how many batches it queues and what happens beyond that.</summary>
public sealed record MailboxSpec(int Capacity, EdgeOverflow Overflow);

/// <summary>A named pipeline: steps in order, then one backend. One instance however many probes feed it.</summary>
public sealed record PipelineSpec(string Name, IReadOnlyList<StepSpec> Steps, BackendSpec Backend)
{
    public bool Equals(PipelineSpec? other) =>
        other is not null && Name == other.Name && Steps.SequenceEqual(other.Steps) && Backend == other.Backend;

    public override int GetHashCode() => HashCode.Combine(Name, Steps.Count, Backend);
}

/// <summary>One step of a pipeline: its type, settings, and inbox.</summary>
public sealed record StepSpec(string Path, IStepModule Type, object Options, MailboxSpec Mailbox, BackoffSpec Restart, string Canonical)
{
    public bool Equals(StepSpec? other) => other is not null && Type.Name == other.Type.Name && Canonical == other.Canonical;

    public override int GetHashCode() => HashCode.Combine(Type.Name, Canonical);

    public IPipelineStep Create(StepContext context) => Type.Create(Options, context);
}

/// <summary>The backend that ends a pipeline: its type, settings, inbox, and how often it is flushed.</summary>
public sealed record BackendSpec(string Path, IBackendModule Type, object Options, MailboxSpec Mailbox, BackoffSpec Restart, TimeSpan FlushInterval, string Canonical)
{
    public bool Equals(BackendSpec? other) => other is not null && Type.Name == other.Type.Name && Canonical == other.Canonical;

    public override int GetHashCode() => HashCode.Combine(Type.Name, Canonical);
}
