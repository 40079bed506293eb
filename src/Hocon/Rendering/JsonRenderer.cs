using System.Runtime.CompilerServices;
using System.Text;
using Ingrain.Hocon.Syntax;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Rendering;

/// <summary>Resolved values as JSON.</summary>
internal static class JsonRenderer
{
    public static string Render(HoconValue value, bool indented)
    {
        var sb = new StringBuilder();
        Write(sb, value, indented, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, HoconValue value, bool indented, int level)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new HoconException("value is nested too deep to render", value.Origin);
        switch (value)
        {
            case HoconObject obj:
                sb.Append('{');
                var firstField = true;
                foreach (var (key, child) in obj.Fields)
                {
                    if (!firstField) sb.Append(',');
                    firstField = false;
                    NewLine(sb, indented, level + 1);
                    sb.Append(Quoting.Quote(key)).Append(indented ? ": " : ":");
                    Write(sb, child, indented, level + 1);
                }
                if (!firstField) NewLine(sb, indented, level);
                sb.Append('}');
                break;
            case HoconList list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indented, level + 1);
                    Write(sb, list[i], indented, level + 1);
                }
                if (list.Count > 0) NewLine(sb, indented, level);
                sb.Append(']');
                break;
            default:
                ScalarRendering.Append(sb, value);
                break;
        }
    }

    private static void NewLine(StringBuilder sb, bool indented, int level)
    {
        if (!indented) return;
        sb.Append('\n').Append(' ', level * 2);
    }
}
