using Xunit;
using Ingrain.Actors.Pipeline;

namespace Ingrain.Actors.Tests.Pipeline;

public class BufferStepSpec
{
    private readonly ManualClock _clock = new();
    private readonly StepContext _context;

    public BufferStepSpec() => _context = M.Context(_clock);

    private BufferStep Buffer(BufferOptions? options = null) => new(options ?? ComponentSettings.Buffer, _context);

    private static List<Measurement> Flush(IPipelineStep step)
    {
        var output = new CollectingOutput();
        step.Flush(output);
        return output.Items;
    }

    [Fact]
    public void Counters_are_summed_per_name_and_tags_with_sample_rate()
    {
        var step = Buffer();
        var a = Tags.Of(("k", "a"));
        Assert.Empty(M.Run(step,
            M.Counter("c", 1, a), M.Counter("c", 2, a, rate: 0.5), M.Counter("c", 7, Tags.Of(("k", "b"))), M.Counter("d", 1, a)));
        var flushed = Flush(step);
        Assert.Equal(3, flushed.Count);
        Assert.Equal(5, flushed.Single(m => m.Name == "c" && m.Tags.Equals(a)).Value.Number);
        Assert.Equal(7, flushed.Single(m => m.Name == "c" && m.Tags.Get("k") == "b").Value.Number);
        Assert.All(flushed, m => Assert.Equal(MeasurementKind.Counter, m.Kind));
        Assert.All(flushed, m => Assert.Equal(Measurement.NowNanos(_clock), m.Timestamp));
        Assert.Empty(Flush(step)); // a flush empties the buffer
    }

    [Fact]
    public void Gauges_are_set_or_adjusted()
    {
        var step = Buffer();
        M.Run(step,
            M.Of(MeasurementKind.Gauge, "g", MeasurementValue.Count(10)),
            M.Of(MeasurementKind.Gauge, "g", MeasurementValue.Count(3), reset: false),
            M.Of(MeasurementKind.Gauge, "g", MeasurementValue.Count(-5), reset: false),
            M.Of(MeasurementKind.Gauge, "h", MeasurementValue.Count(4), reset: false),
            M.Of(MeasurementKind.Gauge, "h", MeasurementValue.Count(2)));
        var flushed = Flush(step);
        Assert.Equal(8, flushed.Single(m => m.Name == "g").Value.Number);
        Assert.Equal(2, flushed.Single(m => m.Name == "h").Value.Number);
    }

    [Fact]
    public void Timers_keep_every_value_and_sets_report_cardinality_and_elements()
    {
        var step = Buffer();
        M.Run(step,
            M.Of(MeasurementKind.Timer, "t", MeasurementValue.Count(5)),
            M.Of(MeasurementKind.Timer, "t", MeasurementValue.Count(9)),
            M.Of(MeasurementKind.Set, "s", MeasurementValue.Str("bob")),
            M.Of(MeasurementKind.Set, "s", MeasurementValue.Str("alice")),
            M.Of(MeasurementKind.Set, "s", MeasurementValue.Str("bob")));
        var flushed = Flush(step);
        Assert.Equal([5.0, 9.0], flushed.Where(m => m.Name == "t").Select(m => m.Value.Number));
        var set = flushed.Single(m => m.Name == "s");
        Assert.Equal(MeasurementKind.Set, set.Kind);
        Assert.Equal(2, set.Value.Number);
        Assert.Equal("alice,bob", set.Tags.Get("set_elements"));
    }

    [Fact]
    public void Histograms_become_configured_percentiles_and_multi_kind_feeds_each_store()
    {
        var step = Buffer(ComponentSettings.Buffer with { Percentiles = [50, 90, 99.9] });
        for (var i = 1; i <= 100; i++)
            step.Process(M.Of(MeasurementKind.Counter | MeasurementKind.Histogram | MeasurementKind.Meter, "lat", MeasurementValue.Bytes(i)), new CollectingOutput());
        var flushed = Flush(step);
        Assert.Equal(5050, flushed.Single(m => m.Name == "lat").Value.Number);
        Assert.Equal(MeasurementUnit.Byte, flushed.Single(m => m.Name == "lat").Value.Unit);
        Assert.Equal(50, flushed.Single(m => m.Name == "lat_50").Value.Number);
        Assert.Equal(90, flushed.Single(m => m.Name == "lat_90").Value.Number);
        Assert.Equal(100, flushed.Single(m => m.Name == "lat_99.9").Value.Number);
        Assert.All(flushed.Where(m => m.Name != "lat"), m => Assert.Equal(MeasurementKind.Percentile, m.Kind));
    }

    [Fact]
    public void Default_percentiles_are_ingraind_s_six()
    {
        var step = Buffer();
        M.Run(step, M.Of(MeasurementKind.Histogram, "h", MeasurementValue.Count(1)));
        Assert.Equal(["h_25", "h_50", "h_75", "h_90", "h_95", "h_99"], Flush(step).Select(m => m.Name));
    }

    [Fact]
    public void Meter_only_measurements_pass_through()
    {
        var meter = M.Of(MeasurementKind.Meter, "m", MeasurementValue.Count(1));
        Assert.Same(meter, Assert.Single(M.Run(Buffer(), meter)));
    }

    [Fact]
    public void A_measurement_arriving_after_the_interval_flushes_first()
    {
        var step = Buffer(ComponentSettings.Buffer with { Interval = TimeSpan.FromSeconds(10) });
        Assert.Empty(M.Run(step, M.Counter("c", 1)));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(M.Run(step, M.Counter("c", 1)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var flushed = M.Run(step, M.Counter("c", 5));
        Assert.Equal(2, Assert.Single(flushed).Value.Number);
        Assert.Equal(5, Assert.Single(Flush(step)).Value.Number);
    }

    [Fact]
    public void Memory_is_bounded_by_max_keys_and_max_values_with_overflow_counted()
    {
        var step = Buffer(ComponentSettings.Buffer with { MaxKeys = 2, MaxValuesPerKey = 3 });
        M.Run(step, M.Counter("a"), M.Counter("b"), M.Counter("c"), M.Counter("a"));
        for (var i = 0; i < 5; i++) M.Run(step, M.Of(MeasurementKind.Timer, "b", MeasurementValue.Count(i)));
        Assert.Equal(1 + 2, step.Overflowed); // "c" refused; two timer values beyond 3
        Assert.Equal(3, _context.Counters.Dropped);
        var flushed = Flush(step);
        Assert.Equal(2, flushed.Single(m => m.Name == "a").Value.Number);
        Assert.DoesNotContain(flushed, m => m.Name == "c");
        Assert.Equal(3, flushed.Count(m => m.Name == "b" && m.Kind == MeasurementKind.Timer));
    }

    [Fact]
    public void Histogram_over_capacity_still_reports_percentiles_from_a_sample()
    {
        var step = Buffer(ComponentSettings.Buffer with { HistogramSamples = 1000, Percentiles = [50] });
        for (var i = 0; i < 100_000; i++) step.Process(M.Of(MeasurementKind.Histogram, "h", MeasurementValue.Count(i % 1000)), new CollectingOutput());
        var median = Assert.Single(Flush(step)).Value.Number;
        Assert.InRange(median, 400, 600);
        Assert.Equal(0, step.Overflowed); // sampling, not dropping
    }
}
