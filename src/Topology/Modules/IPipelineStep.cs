
namespace Ingrain.Topology.Modules;

/// <summary>
/// One stage of a pipeline. A step sees one measurement at a time and emits zero or more measurements to
/// <see cref="IStepOutput"/>; batching between stages is the host's business, not the step's.
/// A host calls a step serially (never concurrently), so steps need no locking.
/// </summary>
public interface IPipelineStep
{
    /// <summary>Handles one measurement; forwards it (possibly changed), drops it, or keeps it (aggregation).</summary>
    void Process(Measurement measurement, IStepOutput output);

    /// <summary>
    /// Emits whatever the step holds back. Called every <see cref="FlushInterval"/> and once at shutdown;
    /// stateless steps do nothing.
    /// </summary>
    void Flush(IStepOutput output);

    /// <summary>How often the host should call <see cref="Flush"/>; null when the step holds nothing back.</summary>
    TimeSpan? FlushInterval { get; }
}

/// <summary>Where a step sends what it emits.</summary>
public interface IStepOutput
{
    void Emit(Measurement measurement);
}
