using Ingrain.Actors.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingrain.Actors.Tests.Pipeline;

/// <summary>Collects what a step emits.</summary>
internal sealed class CollectingOutput : IStepOutput
{
    public List<Measurement> Items { get; } = [];

    public void Emit(Measurement measurement) => Items.Add(measurement);
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by)
    {
        _ticks += by.Ticks;
        _now += by;
    }
}

internal static class M
{
    public static Measurement Counter(string name, double value = 1, Tags? tags = null, double rate = 1) =>
        new(1, MeasurementKind.Counter, name, MeasurementValue.Count(value), tags, rate);

    public static Measurement Of(MeasurementKind kind, string name, MeasurementValue value, Tags? tags = null, bool reset = true) =>
        new(1, kind, name, value, tags, 1, reset);

    public static StepContext Context(TimeProvider? time = null) =>
        new(NullLogger.Instance, time ?? TimeProvider.System, new ComponentCounters());

    public static List<Measurement> Run(IPipelineStep step, params Measurement[] input)
    {
        var output = new CollectingOutput();
        foreach (var m in input) step.Process(m, output);
        return output.Items;
    }
}
