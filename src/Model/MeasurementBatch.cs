namespace Ingrain.Model;

/// <summary>
/// Several measurements travelling as one actor message, so a busy probe pays one mailbox hop per batch
/// instead of one per event. Steps still see measurements one at a time.
/// </summary>
public sealed record MeasurementBatch(IReadOnlyList<Measurement> Items)
{
    public int Count => Items.Count;
}
