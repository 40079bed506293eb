using Ingrain.Hocon.Rendering;

namespace Ingrain.Hocon.Values;

/// <summary>The kinds of value a resolved document holds (the JSON types).</summary>
public enum HoconValueType
{
    Object,
    List,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A HOCON value with the place it was defined. Values returned by <see cref="Config"/> are resolved and immutable.</summary>
public abstract class HoconValue
{
    protected HoconValue(HoconOrigin origin) => Origin = origin;

    public HoconOrigin Origin { get; }

    public abstract HoconValueType Type { get; }

    /// <summary>Text used when this value takes part in a string concatenation; null for objects and lists.</summary>
    internal abstract string? ConcatText { get; }

    /// <summary>The value as JSON text.</summary>
    public string ToJson(bool indented = false) => JsonRenderer.Render(this, indented);

    /// <summary>The value as HOCON text that parses back to an equal value.</summary>
    public string Render() => HoconRenderer.Render(this);

    public override string ToString() => ToJson();
}
