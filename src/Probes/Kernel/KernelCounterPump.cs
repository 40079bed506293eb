using Ingrain.Native;

namespace Ingrain.Probes.Kernel;

/// <summary>
/// Copies what a kernel probe's reader and decoder counted (kernel-lost, malformed, handler failures) into the
/// probe's <see cref="ProbeCounters"/>, as deltas, so the totals survive a restart (a new reader starts at zero). A probe
/// without a ring passes no reader: then only <paramref name="otherKernelLost"/> and <paramref name="malformed"/> count.
/// Called from the probe's read loop, never concurrently. <paramref name="otherKernelLost"/>: a running total of
/// records the probe's programs lost besides the ring's reserve failures (e.g. a full map), also kernel-lost.
/// <paramref name="handlerFailures"/>: for a probe whose records come from a shared reader, its own running total.
/// </summary>
internal sealed class KernelCounterPump(RingBufferReader? reader, Func<long> malformed, ProbeCounters counters, Func<long>? otherKernelLost = null,
    Func<long>? handlerFailures = null)
{
    private long _kernelLost, _malformed, _handlerFailures;

    public void Publish()
    {
        counters.AddKernelLost(Delta((reader?.KernelLost ?? 0) + (otherKernelLost?.Invoke() ?? 0), ref _kernelLost));
        counters.AddMalformed(Delta(malformed(), ref _malformed));
        counters.AddHandlerFailures(Delta(reader?.HandlerFailures ?? handlerFailures?.Invoke() ?? 0, ref _handlerFailures));
    }

    private static long Delta(long now, ref long seen)
    {
        var delta = now - seen;
        seen = now;
        return delta;
    }
}
