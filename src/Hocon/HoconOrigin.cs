namespace Ingrain.Hocon;

/// <summary>Where a value or error comes from: a file (or a description such as "string"), 1-based line and column.</summary>
public sealed record HoconOrigin(string Description, int Line, int Column)
{
    public static readonly HoconOrigin Unknown = new("unknown", 0, 0);

    public override string ToString() => $"{Description}:{Line}:{Column}";
}
