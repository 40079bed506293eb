namespace Ingrain.Topology.Modules;

/// <summary>
/// A started probe. Its kernel programs (if any) are attached from creation until disposal. The host calls
/// <see cref="RunAsync"/> once; an exception from it is a probe failure (the supervisor restarts the probe).
/// What it reads, skips and loses goes to <see cref="ProbeContext.Counters"/>.
/// </summary>
public interface IProbe : IAsyncDisposable
{
    /// <summary>Reads until cancelled (or until a finite source ends), handing measurements to <paramref name="sink"/>.</summary>
    Task RunAsync(IProbeSink sink, CancellationToken cancellationToken);
}

/// <summary>Where a running probe sends what it reads. Thread-safe; may block when the pipelines are full (backpressure).</summary>
public interface IProbeSink
{
    void Emit(Measurement measurement);

    void Emit(IReadOnlyList<Measurement> measurements);
}
