using Ingrain.Actors.Topology;
using Ingrain.Probes;
using Ingrain.Probes.Exec;

namespace Ingrain.Agent.Composition;

/// <summary>
/// Makes a kernel probe module (Ingrain.Probes, e.g. <c>exec</c>) a topology probe type: attaching happens when the
/// probe actor starts (so attach failures are retried with backoff), reading runs until the actor stops it. A module
/// with settings gets its HOCON parser here; the others accept no type-specific keys.
/// </summary>
internal static class KernelProbeType
{
    public static ProbeType From(IProbeModule module) => module switch
    {
        ExecModule exec => Of(exec.Type, ExecProbeSettings.Parse, exec.Attach),
        Ingrain.Probes.Network.NetworkModule network => Of(network.Type, Ingrain.Probes.Network.NetworkProbeSettings.Parse, network.Attach),
        _ => Of<NoOptions>(module.Type, _ => NoOptions.Instance, (_, context) => module.Attach(context)),
    };

    private static ProbeType Of<TOptions>(string type, Func<ConfigSection, TOptions?> parse, Func<TOptions, Ingrain.Probes.ProbeContext, IProbe> attach)
        where TOptions : class =>
        ProbeType.Of(type, parse, (options, context) => new Runner(attach(options, new Ingrain.Probes.ProbeContext(context.LoggerFactory))));

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
