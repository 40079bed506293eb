using System.Globalization;

namespace Ingrain.Hocon.Values;

/// <summary>A string value. <see cref="WasQuoted"/> matters only for concatenation rules.</summary>
public sealed class HoconString(HoconOrigin origin, string value, bool wasQuoted = true) : HoconValue(origin)
{
    public string Value { get; } = value;

    public bool WasQuoted { get; } = wasQuoted;

    public override HoconValueType Type => HoconValueType.String;

    internal override string ConcatText => Value;
}

/// <summary>A number; <see cref="Text"/> keeps its original spelling (used when it is concatenated into a string).</summary>
public sealed class HoconNumber : HoconValue
{
    internal HoconNumber(HoconOrigin origin, string text, long value) : base(origin)
    {
        Text = text;
        IsInteger = true;
        LongValue = value;
        DoubleValue = value;
    }

    internal HoconNumber(HoconOrigin origin, string text, double value) : base(origin)
    {
        Text = text;
        DoubleValue = value;
        IsInteger = false;
        LongValue = (long)value;
    }

    public string Text { get; }

    /// <summary>True when the literal was a whole number that fits in 64 bits.</summary>
    public bool IsInteger { get; }

    public long LongValue { get; }

    public double DoubleValue { get; }

    public override HoconValueType Type => HoconValueType.Number;

    internal override string ConcatText => Text;

    /// <summary>The number as JSON: integers as written, doubles in round-trip form (whole doubles without fraction).</summary>
    internal string JsonText()
    {
        if (IsInteger) return LongValue.ToString(CultureInfo.InvariantCulture);
        if (double.IsFinite(DoubleValue) && Math.Floor(DoubleValue) == DoubleValue && Math.Abs(DoubleValue) < 1e15)
            return ((long)DoubleValue).ToString(CultureInfo.InvariantCulture);
        return double.IsFinite(DoubleValue) ? DoubleValue.ToString("R", CultureInfo.InvariantCulture) : Quote(Text);
    }

    private static string Quote(string s) => "\"" + s + "\"";
}

public sealed class HoconBoolean(HoconOrigin origin, bool value) : HoconValue(origin)
{
    public bool Value { get; } = value;

    public override HoconValueType Type => HoconValueType.Boolean;

    internal override string ConcatText => Value ? "true" : "false";
}

public sealed class HoconNull(HoconOrigin origin) : HoconValue(origin)
{
    public override HoconValueType Type => HoconValueType.Null;

    internal override string ConcatText => "null";
}
