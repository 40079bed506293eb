namespace Ingrain.Model;

/// <summary>
/// One immutable measurement: what every probe emits and every step and backend consumes.
/// Probes emit typed events (an exec event, a file read) as records derived from this one, so every
/// step works on any of them; steps that change tags produce a plain copy with <see cref="WithTags"/>.
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
        _tags = tags; // null: built by BuildTags when first read
        SampleRate = sampleRate;
        Reset = reset;
    }

    /// <summary>Wall-clock time in nanoseconds since the Unix epoch.</summary>
    public long Timestamp { get; init; }

    public MeasurementKind Kind { get; init; }

    /// <summary>The measurement's name, e.g. <c>process.exec</c> (never carries a unit suffix).</summary>
    public string Name { get; init; }

    public MeasurementValue Value { get; init; }

    private Tags? _tags;

    /// <summary>
    /// Ordered tags; keys follow ingraind's style: <c>_str</c> for strings, <c>_id</c> for numeric ids. A probe event
    /// builds them from its typed fields when a step or encoder first asks (<see cref="BuildTags"/>), so an event
    /// dropped or routed by name never pays for its tag strings. Thread-safe: concurrent first reads agree on one value.
    /// </summary>
    public Tags Tags
    {
        get => _tags ?? Interlocked.CompareExchange(ref _tags, BuildTags(), null) ?? _tags;
        init => _tags = value;
    }

    /// <summary>The tags of a measurement created without any: none here; typed events derive theirs from their fields.</summary>
    protected virtual Tags BuildTags() => Tags.Empty;

    // By value, as the compiler would, but through Tags: an event whose tags are not built yet equals one whose are.
    public virtual bool Equals(Measurement? other) =>
        ReferenceEquals(this, other) || (other is not null && EqualityContract == other.EqualityContract
            && Timestamp == other.Timestamp && Kind == other.Kind && Name == other.Name && Value.Equals(other.Value)
            && Tags.Equals(other.Tags) && SampleRate.Equals(other.SampleRate) && Reset == other.Reset);

    public override int GetHashCode() => HashCode.Combine(EqualityContract, Timestamp, Kind, Name, Value, Tags, SampleRate, Reset);

    /// <summary>StatsD-style sample rate in (0, 1]: a counter value stands for value / rate events.</summary>
    public double SampleRate { get; init; }

    /// <summary>For gauges: true sets the gauge to the value, false adjusts it by the value (relative, <c>+3</c>/<c>-2</c>).</summary>
    public bool Reset { get; init; }

    /// <summary>
    /// This measurement with other tags, as a plain <see cref="Measurement"/>: a typed probe event (an exec event with
    /// its argv) does not survive a tag edit, so a step that removed a tag leaves no typed field holding its value.
    /// </summary>
    public Measurement WithTags(Tags tags) => new(Timestamp, Kind, Name, Value, tags, SampleRate, Reset);

    /// <summary>Now, in nanoseconds since the Unix epoch, from <paramref name="time"/> (or the system clock).</summary>
    public static long NowNanos(TimeProvider? time = null)
    {
        var t = (time ?? TimeProvider.System).GetUtcNow();
        return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
    }
}
