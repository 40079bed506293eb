namespace Ingrain.Actors.Topology.SelfMetrics;

/// <summary>
/// The virtual probe of <c>ingrain.agent.self-metrics</c>: run by a probe actor like any probe (so it sends through
/// the same edges, with backpressure, acknowledgements and rewiring on reload), it reads the statuses the topology
/// publishes and emits them as measurements. When stopped it still sends the status published last (the shutdown's).
/// </summary>
internal sealed class SelfMetricsProbe(SelfMetricsFeed feed, SelfMetricsDeltas deltas, TimeProvider time) : IProbe
{
    public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var status in feed.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                sink.Emit(deltas.Next(status, Measurement.NowNanos(time)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        while (feed.Reader.TryRead(out var last)) sink.Emit(deltas.Next(last, Measurement.NowNanos(time)));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The self-metrics probe's module: made by the topology for its own feed, never named in a configuration.</summary>
internal sealed class SelfMetricsProbeModule(SelfMetricsFeed feed) : ProbeModule<SelfMetricsSpec>
{
    /// <summary>The virtual probe's name in the topology, its status path and its <c>probe</c> label.</summary>
    public const string ProbeName = SelfMetricsSpec.ProbeName;

    private readonly SelfMetricsDeltas _deltas = new();

    public override string Name => "self-metrics";

    public override bool CanRunSideBySide => false;

    protected override SelfMetricsSpec? Parse(ConfigSection section) => throw new NotSupportedException("self-metrics is configured in ingrain.agent");

    protected override IProbe Create(SelfMetricsSpec options, ProbeContext context) => new SelfMetricsProbe(feed, _deltas, context.Time);

    /// <summary>The probe spec the topology starts for <paramref name="spec"/>.</summary>
    public ProbeSpec Spec(SelfMetricsSpec spec) => new(ProbeName, this, spec, spec.Pipelines, spec.Restart, "");
}
