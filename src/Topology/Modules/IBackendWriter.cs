
namespace Ingrain.Topology.Modules;

/// <summary>
/// The transport half of a backend (console, file, StatsD, HTTP, S3). A backend actor owns one writer and
/// calls it serially — never concurrently — so writers need no locking of their own.
/// </summary>
public interface IBackendWriter : IAsyncDisposable
{
    /// <summary>Counters of what this writer did; read by the agent's status and by tests.</summary>
    BackendCounters Counters { get; }

    /// <summary>Accepts a batch. A writer may buffer it and send later (batching), but must not lose it.</summary>
    ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken);

    /// <summary>Sends what is buffered: called on the writer's interval and at shutdown.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
