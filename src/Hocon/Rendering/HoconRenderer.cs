using System.Runtime.CompilerServices;
using System.Text;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Rendering;

/// <summary>Resolved values as HOCON: root braces omitted, <c>key = value</c>, unquoted keys where safe, each
/// field preceded by a comment naming its origin.</summary>
internal static class HoconRenderer
{
    public static string Render(HoconValue value)
    {
        var sb = new StringBuilder();
        if (value is HoconObject root)
        {
            foreach (var (key, child) in root.Fields) WriteField(sb, key, child, 0);
        }
        else
        {
            Write(sb, value, 0);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void WriteField(StringBuilder sb, string key, HoconValue value, int level)
    {
        Indent(sb, level).Append("# ").Append(value.Origin).Append('\n');
        Indent(sb, level).Append(HoconPath.RenderKey(key)).Append(value is HoconObject ? " " : " = ");
        Write(sb, value, level);
        sb.Append('\n');
    }

    private static void Write(StringBuilder sb, HoconValue value, int level)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new HoconException("value is nested too deep to render", value.Origin);
        switch (value)
        {
            case HoconObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append("{\n");
                foreach (var (key, child) in obj.Fields) WriteField(sb, key, child, level + 1);
                Indent(sb, level).Append('}');
                break;
            case HoconList list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append("[\n");
                foreach (var item in list.Items)
                {
                    Indent(sb, level + 1);
                    Write(sb, item, level + 1);
                    sb.Append('\n');
                }
                Indent(sb, level).Append(']');
                break;
            default:
                ScalarRendering.Append(sb, value);
                break;
        }
    }

    private static StringBuilder Indent(StringBuilder sb, int level) => sb.Append(' ', level * 2);
}
