using Microsoft.Extensions.Logging;

namespace Ingrain.Backends.StatsD;

/// <summary><c>backend { type = statsd }</c>: StatsD/DogStatsD over UDP or a Unix socket.</summary>
public sealed class StatsDBackendModule : BackendModule<StatsDBackendOptions>
{
    private static readonly Dictionary<string, StatsDHistogramType> HistogramTypes = new()
    {
        ["histogram"] = StatsDHistogramType.Histogram,
        ["distribution"] = StatsDHistogramType.Distribution,
    };

    public override string Name => "statsd";

    protected override StatsDBackendOptions? Parse(ConfigSection s) => s.Validated(new StatsDBackendOptions
    {
        Host = s.String("host", required: true) ?? "",
        Port = s.Int("port"),
        SocketPath = s.String("socket-path"),
        Prefix = s.String("prefix", required: true) ?? "",
        MaxPacketSize = s.Int("max-packet-size"),
        HistogramType = s.Choice("histogram-type", HistogramTypes),
    }, o => o.Validate());

    protected override IBackendWriter Create(StatsDBackendOptions options, BackendContext context) =>
        new StatsDBackendWriter(options, context.LoggerFactory.CreateLogger<StatsDBackendWriter>());
}
