
namespace Ingrain.Probes.Command;

/// <summary>
/// Options of the command probe (HOCON <c>probe { type = command … }</c>), ingraind's osquery grain generalized:
/// any command that prints a JSON array of rows.
/// </summary>
public sealed record CommandProbeOptions
{

    /// <summary>The probe's name in the topology; the first part of every measurement name (<c>&lt;probe&gt;.&lt;name&gt;</c>).</summary>
    public required string ProbeName { get; init; }

    /// <summary>Second part of every measurement name (<c>name</c>, required).</summary>
    public required string Name { get; init; }

    /// <summary>Program and arguments, run without a shell (<c>command = ["osqueryi", "--json", "select …"]</c>, required).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Time between the starts of two runs (<c>interval</c>).</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>A run still going after this is killed with its children (<c>timeout</c>).</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Column holding each row's value (<c>value-column</c>); absent: every row counts 1.</summary>
    public string? ValueColumn { get; init; }

    /// <summary>When the output is an object, the property holding the rows (<c>rows-field</c>, e.g. <c>blockdevices</c> for <c>lsblk --json</c>).</summary>
    public string? RowsField { get; init; }

    /// <summary>Kind of the measurements (<c>kind</c>, ingraind's <c>aggregation_type</c>).</summary>
    public required MeasurementKind Kind { get; init; }

    /// <summary>Unit of the value (<c>unit = count | byte</c>, ingraind's <c>measurement_type</c>).</summary>
    public required MeasurementUnit Unit { get; init; }

    /// <summary>Run once right at start instead of after the first interval (<c>run-at-start</c>).</summary>
    public required bool RunAtStart { get; init; }

    /// <summary>Standard output beyond this many bytes makes the run fail as bad output (<c>max-output</c>).</summary>
    public required int MaxOutputBytes { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("name: required");
        if (string.IsNullOrWhiteSpace(ProbeName)) errors.Add("probe name: required");
        if (Command.Count == 0 || string.IsNullOrWhiteSpace(Command[0])) errors.Add("command: needs at least the program to run");
        if (Interval <= TimeSpan.Zero) errors.Add("interval: must be positive");
        if (Timeout <= TimeSpan.Zero) errors.Add("timeout: must be positive");
        else if (Timeout > Interval) errors.Add($"timeout: {Timeout} must not be longer than interval {Interval}");
        if (ValueColumn is { Length: 0 }) errors.Add("value-column: must not be empty when set");
        if (Kind == MeasurementKind.None) errors.Add("kind: must name at least one kind");
        if (Unit == MeasurementUnit.String) errors.Add("unit: must be count or byte");
        if (MaxOutputBytes < 1024) errors.Add("max-output: must be at least 1024 bytes");
        return errors;
    }

    /// <summary>Value equality, argv included (a reload compares old and new options by value).</summary>
    public bool Equals(CommandProbeOptions? other) =>
        other is not null && ProbeName == other.ProbeName && Name == other.Name && Command.SequenceEqual(other.Command)
        && Interval == other.Interval && Timeout == other.Timeout && ValueColumn == other.ValueColumn && RowsField == other.RowsField
        && Kind == other.Kind && Unit == other.Unit && RunAtStart == other.RunAtStart && MaxOutputBytes == other.MaxOutputBytes;

    public override int GetHashCode() => HashCode.Combine(ProbeName, Name, Command.Count, Interval, Timeout, ValueColumn, Kind);

    /// <summary><c>&lt;probe&gt;.&lt;name&gt;</c>.</summary>
    public string MeasurementName => $"{ProbeName}.{Name}";
}
