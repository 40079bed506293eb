
namespace Ingrain.Actors.Pipeline;

/// <summary>Collects what a step emits while it handles one batch, to send on as one batch.</summary>
internal sealed class BatchingOutput : IStepOutput
{
    private List<Measurement> _pending = new(64);

    public int Count => _pending.Count;

    public void Emit(Measurement measurement) => _pending.Add(measurement);

    /// <summary>The collected batch (ownership passes to the caller), or null when nothing was emitted.</summary>
    public MeasurementBatch? Take()
    {
        if (_pending.Count == 0) return null;
        var batch = new MeasurementBatch(_pending);
        _pending = new List<Measurement>(Math.Max(16, batch.Count));
        return batch;
    }
}
