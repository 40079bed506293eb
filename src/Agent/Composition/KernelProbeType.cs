using Ingrain.Actors.Topology;
using Ingrain.Probes;

namespace Ingrain.Agent.Composition;

/// <summary>
/// Makes a kernel probe module (Ingrain.Probes, e.g. <c>exec</c>) a topology probe type: attaching happens when the
/// probe actor starts (so attach failures are retried with backoff), reading runs until the actor stops it.
/// </summary>
internal static class KernelProbeType
{
    public static ProbeType From(IProbeModule module) => ProbeType.Of(module.Type, _ => NoOptions.Instance,
        (_, context) => new Runner(module.Attach(new Ingrain.Probes.ProbeContext(context.LoggerFactory))));

    private sealed class Runner(IProbe probe) : IProbeRunner
    {
        public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            try
            {
                await probe.RunAsync(sink.Emit, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        public ValueTask DisposeAsync() => probe.DisposeAsync();
    }
}
