using System.Globalization;
using System.Text;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Syntax;

/// <summary>Java .properties files: every value is a string, keys split on '.' (empty elements kept); when a key is both
/// a value and a parent of other keys, the object wins.</summary>
internal static class PropertiesParser
{
    public static HoconObject Parse(string text, string description)
    {
        var entries = new List<(string Key, string Value, HoconOrigin Origin)>();
        var lines = LogicalLines(text);
        foreach (var (line, lineNumber) in lines)
        {
            var (key, value) = SplitLine(line);
            entries.Add((key, value, new HoconOrigin(description, lineNumber, 1)));
        }
        // Shorter paths first, so that a parent object always replaces a plain value.
        var root = new HoconObject(new HoconOrigin(description, 1, 1));
        foreach (var (key, value, origin) in entries.OrderBy(e => e.Key.Split('.').Length))
        {
            var keys = key.Split('.');
            var current = root;
            var blocked = false;
            for (var i = 0; i < keys.Length - 1; i++)
            {
                if (!current.TryGetValue(keys[i], out var child) || child is not HoconObject childObject)
                {
                    childObject = new HoconObject(origin);
                    current.Set(keys[i], childObject);
                }
                current = childObject;
            }
            if (current.TryGetValue(keys[^1], out var existing) && existing is HoconObject) blocked = true;
            if (!blocked) current.Set(keys[^1], new HoconString(origin, value));
        }
        return root;
    }

    private static List<(string Line, int Number)> LogicalLines(string text)
    {
        var result = new List<(string, int)>();
        var physical = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var i = 0; i < physical.Length; i++)
        {
            var number = i + 1;
            var line = physical[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            var sb = new StringBuilder();
            while (EndsWithContinuation(line) && i + 1 < physical.Length)
            {
                sb.Append(line, 0, line.Length - 1);
                line = physical[++i].TrimStart(' ', '\t', '\f');
            }
            if (EndsWithContinuation(line)) line = line[..^1];
            sb.Append(line);
            result.Add((sb.ToString(), number));
        }
        return result;
    }

    private static bool EndsWithContinuation(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--) backslashes++;
        return backslashes % 2 == 1;
    }

    private static (string Key, string Value) SplitLine(string line)
    {
        var key = new StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                i = Unescape(line, i, key);
                continue;
            }
            if (c is '=' or ':' or ' ' or '\t' or '\f') break;
            key.Append(c);
            i++;
        }
        while (i < line.Length && line[i] is ' ' or '\t' or '\f') i++;
        if (i < line.Length && line[i] is '=' or ':') i++;
        while (i < line.Length && line[i] is ' ' or '\t' or '\f') i++;
        var value = new StringBuilder();
        while (i < line.Length)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i = Unescape(line, i, value);
                continue;
            }
            value.Append(line[i]);
            i++;
        }
        return (key.ToString(), value.ToString());
    }

    private static int Unescape(string line, int backslash, StringBuilder into)
    {
        var c = line[backslash + 1];
        switch (c)
        {
            case 't': into.Append('\t'); return backslash + 2;
            case 'n': into.Append('\n'); return backslash + 2;
            case 'r': into.Append('\r'); return backslash + 2;
            case 'f': into.Append('\f'); return backslash + 2;
            case 'u' when backslash + 6 <= line.Length
                && int.TryParse(line.AsSpan(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                into.Append((char)code);
                return backslash + 6;
            default:
                into.Append(c);
                return backslash + 2;
        }
    }
}
