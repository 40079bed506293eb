using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Command;

/// <summary><c>type = command</c>: runs a command on an interval and turns its JSON output into measurements.</summary>
public sealed class CommandProbeModule : ProbeModule<CommandProbeOptions>
{
    private static readonly Dictionary<string, MeasurementKind> Kinds = new()
    {
        ["counter"] = MeasurementKind.Counter,
        ["gauge"] = MeasurementKind.Gauge,
        ["meter"] = MeasurementKind.Meter,
        ["histogram"] = MeasurementKind.Histogram,
        ["timer"] = MeasurementKind.Timer,
        ["set"] = MeasurementKind.Set,
    };

    private static readonly Dictionary<string, MeasurementUnit> Units = new() { ["count"] = MeasurementUnit.Count, ["byte"] = MeasurementUnit.Byte };

    public override string Name => "command";

    protected override CommandProbeOptions? Parse(ConfigSection s)
    {
        var options = new CommandProbeOptions
        {
            // The probe's own name (the last segment of ingrain.probes.<name>) prefixes its measurements.
            ProbeName = s.Path[(s.Path.LastIndexOf('.') + 1)..],
            Name = s.String("name", required: true) ?? "",
            Command = s.StringList("command", required: true),
            Interval = s.Duration("interval"),
            Timeout = s.Duration("timeout"),
            ValueColumn = s.String("value-column"),
            RowsField = s.String("rows-field"),
            Kind = s.Choice("kind", Kinds),
            Unit = s.Choice("unit", Units),
            RunAtStart = s.Bool("run-at-start"),
            MaxOutputBytes = (int)Math.Min(int.MaxValue, s.Bytes("max-output")),
        };
        var problems = options.Validate();
        foreach (var problem in problems) s.Error(null, problem);
        return problems.Count == 0 ? options : null;
    }

    protected override IProbe Create(CommandProbeOptions options, ProbeContext context)
    {
        var probe = new CommandProbe(options with { ProbeName = context.Name }, context.LoggerFactory.CreateLogger<CommandProbe>(), context.Time);
        context.Counters.AttachDetails(probe.Counters);
        return new Probe(probe);
    }

    private sealed class Probe(CommandProbe probe) : IProbe
    {
        public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken) => probe.RunAsync(sink.Emit, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
