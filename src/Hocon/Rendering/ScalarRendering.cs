using System.Text;
using Ingrain.Hocon.Syntax;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Rendering;

/// <summary>Strings, numbers, booleans and null, written the same way in JSON and in HOCON.</summary>
internal static class ScalarRendering
{
    /// <summary>Appends a scalar; anything else here is an unresolved value, which cannot be rendered.</summary>
    public static void Append(StringBuilder sb, HoconValue value)
    {
        switch (value)
        {
            case HoconString s:
                sb.Append(Quoting.Quote(s.Value));
                break;
            case HoconNumber n:
                sb.Append(n.JsonText());
                break;
            case HoconBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case HoconNull:
                sb.Append("null");
                break;
            default:
                throw new HoconException("value has unresolved substitutions and cannot be rendered", value.Origin);
        }
    }
}
