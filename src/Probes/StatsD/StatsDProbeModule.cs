using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.StatsD;

/// <summary><c>type = statsd</c>: a StatsD/DogStatsD listener on UDP; its datagrams become measurements.</summary>
public sealed class StatsDProbeModule : ProbeModule<StatsDProbeOptions>
{
    public override string Name => "statsd";

    protected override StatsDProbeOptions? Parse(ConfigSection s)
    {
        var options = new StatsDProbeOptions
        {
            Bind = s.String("bind", required: true) ?? "",
            ReceiveBufferBytes = (int)Math.Min(int.MaxValue, s.Bytes("receive-buffer")),
        };
        var problems = options.Validate();
        foreach (var problem in problems) s.Error(null, problem);
        return problems.Count == 0 ? options : null;
    }

    protected override IProbe Create(StatsDProbeOptions options, ProbeContext context)
    {
        var listener = new StatsDListener(options, context.LoggerFactory.CreateLogger<StatsDListener>(), context.Time);
        context.Counters.AttachDetails(listener.Counters);
        return new Probe(listener);
    }

    private sealed class Probe(StatsDListener listener) : IProbe
    {
        public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken) => listener.RunAsync(sink.Emit, cancellationToken);

        public ValueTask DisposeAsync() => listener.DisposeAsync();
    }
}
