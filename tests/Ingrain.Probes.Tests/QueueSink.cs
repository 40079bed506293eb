using System.Collections.Concurrent;

namespace Ingrain.Probes.Tests;

/// <summary>A probe sink that queues everything it is given, for tests that read a probe directly.</summary>
internal sealed class QueueSink(ConcurrentQueue<Measurement> queue) : IProbeSink
{
    public void Emit(Measurement measurement) => queue.Enqueue(measurement);

    public void Emit(IReadOnlyList<Measurement> measurements)
    {
        foreach (var m in measurements) queue.Enqueue(m);
    }
}
