using System.Threading.Channels;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// The probe's side of the hand-off to its actor: the probe's reader thread writes measurements into a bounded
/// single-writer, single-reader channel; the probe actor alone takes them out and sends them on. While the channel is
/// full (the pipelines are slower than the probe) the reader thread waits here, the ring buffer fills, and the kernel
/// counts what it could not queue — backpressure all the way down, no lock on the way.
/// </summary>
internal sealed class ChannelSink(ChannelWriter<Measurement> writer, CancellationToken stopping) : IProbeSink
{
    public void Emit(Measurement measurement)
    {
        if (writer.TryWrite(measurement)) return;
        // Not an actor thread: the probe's own reader (or listener) waits for room.
        writer.WriteAsync(measurement, stopping).AsTask().GetAwaiter().GetResult();
    }

    public void Emit(IReadOnlyList<Measurement> measurements)
    {
        for (var i = 0; i < measurements.Count; i++) Emit(measurements[i]);
    }
}
