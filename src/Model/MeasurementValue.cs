namespace Ingrain.Model;

/// <summary>The unit of a measurement's value (ingraind's <c>Unit</c>): a count, a byte count, or a string.</summary>
public enum MeasurementUnit : byte
{
    Count,
    Byte,
    String,
}

/// <summary>
/// A measurement's value: a number in <see cref="Unit"/> (counts and bytes), or a string (sets, labels).
/// A value type so that a measurement carries no extra allocation for its value.
/// </summary>
public readonly record struct MeasurementValue(MeasurementUnit Unit, double Number, string? Text)
{
    public static MeasurementValue Count(double n) => new(MeasurementUnit.Count, n, null);
    public static MeasurementValue Bytes(double n) => new(MeasurementUnit.Byte, n, null);
    public static MeasurementValue Str(string s) => new(MeasurementUnit.String, 0, s);

    public bool IsString => Unit == MeasurementUnit.String;

    /// <summary>The unit's lower-case name as written in JSON and by ingraind: <c>count</c>, <c>byte</c>, <c>str</c>.</summary>
    public string UnitName => Unit switch
    {
        MeasurementUnit.Count => "count",
        MeasurementUnit.Byte => "byte",
        _ => "str",
    };

    public override string ToString() => IsString ? Text ?? "" : $"{Number} {UnitName}";
}
