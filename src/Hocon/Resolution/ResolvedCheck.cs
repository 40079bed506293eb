namespace Ingrain.Hocon.Resolution;

/// <summary>Whether a value tree still holds substitutions.</summary>
internal static class ResolvedCheck
{
    public static bool IsResolved(HoconValue value) => value switch
    {
        UnresolvedValue => false,
        HoconObject obj => obj.Fields.Values.All(IsResolved),
        HoconList list => list.Items.All(IsResolved),
        _ => true,
    };
}
