namespace Ingrain.Model;

/// <summary>
/// One immutable measurement: what every probe emits and every step and backend consumes.
/// Probes emit typed events (an exec event, a file read) as records derived from this one, so every
/// step works on any of them; steps that change tags produce a copy with <c>with { Tags = … }</c>.
/// </summary>
public record Measurement
{
    public Measurement(long timestamp, MeasurementKind kind, string name, MeasurementValue value, Tags? tags = null,
        double sampleRate = 1.0, bool reset = true)
    {
        Timestamp = timestamp;
        Kind = kind;
        Name = name;
        Value = value;
        Tags = tags ?? Tags.Empty;
        SampleRate = sampleRate;
        Reset = reset;
    }

    /// <summary>Wall-clock time in nanoseconds since the Unix epoch.</summary>
    public long Timestamp { get; init; }

    public MeasurementKind Kind { get; init; }

    /// <summary>The measurement's name, e.g. <c>process.exec</c> (never carries a unit suffix).</summary>
    public string Name { get; init; }

    public MeasurementValue Value { get; init; }

    /// <summary>Ordered tags; keys follow ingraind's style: <c>_str</c> for strings, <c>_id</c> for numeric ids.</summary>
    public Tags Tags { get; init; }

    /// <summary>StatsD-style sample rate in (0, 1]: a counter value stands for value / rate events.</summary>
    public double SampleRate { get; init; }

    /// <summary>For gauges: true sets the gauge to the value, false adjusts it by the value (relative, <c>+3</c>/<c>-2</c>).</summary>
    public bool Reset { get; init; }

    /// <summary>Now, in nanoseconds since the Unix epoch, from <paramref name="time"/> (or the system clock).</summary>
    /// <summary>
    /// This measurement with other tags, as a plain <see cref="Measurement"/>: a typed probe event (an exec event with
    /// its argv) does not survive a tag edit, so a step that removed a tag leaves no typed field holding its value.
    /// </summary>
    public Measurement WithTags(Tags tags) => new(Timestamp, Kind, Name, Value, tags, SampleRate, Reset);

    public static long NowNanos(TimeProvider? time = null)
    {
        var t = (time ?? TimeProvider.System).GetUtcNow();
        return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
    }
}
