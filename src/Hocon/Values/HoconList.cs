namespace Ingrain.Hocon.Values;

/// <summary>An array value.</summary>
public sealed class HoconList : HoconValue
{
    internal HoconList(HoconOrigin origin, IReadOnlyList<HoconValue> items) : base(origin) => Items = items;

    public IReadOnlyList<HoconValue> Items { get; }

    public int Count => Items.Count;

    public HoconValue this[int index] => Items[index];

    public override HoconValueType Type => HoconValueType.List;

    internal override string? ConcatText => null;
}
