using System.Text;

namespace Ingrain.Steps.Exec;

/// <summary>
/// An argv whose arguments may hold <c>{tag}</c> placeholders (spaces inside the braces are allowed, as in
/// ingraind's <c>{ process_id }</c>). Placeholders may sit anywhere in an argument, e.g. <c>--pid={process_id}</c>.
/// </summary>
public sealed class ArgvTemplate
{
    private readonly Part[][] _args;

    public ArgvTemplate(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) throw new ArgumentException("exec command must name a program", nameof(argv));
        _args = argv.Select(Parse).ToArray();
    }

    /// <summary>The tag keys the template refers to.</summary>
    public IEnumerable<string> Keys => _args.SelectMany(a => a).Where(p => p.IsTag).Select(p => p.Text).Distinct();

    /// <summary>Fills the placeholders from <paramref name="tags"/>; null (and the key in <paramref name="missing"/>) when a tag is absent.</summary>
    public string[]? Render(Tags tags, out string? missing)
    {
        var result = new string[_args.Length];
        var sb = new StringBuilder();
        for (var i = 0; i < _args.Length; i++)
        {
            sb.Clear();
            foreach (var part in _args[i])
            {
                if (!part.IsTag)
                {
                    sb.Append(part.Text);
                    continue;
                }
                var value = tags.Get(part.Text);
                if (value is null)
                {
                    missing = part.Text;
                    return null;
                }
                sb.Append(value);
            }
            result[i] = sb.ToString();
        }
        missing = null;
        return result;
    }

    private static Part[] Parse(string arg)
    {
        var parts = new List<Part>();
        var pos = 0;
        while (pos < arg.Length)
        {
            var open = arg.IndexOf('{', pos);
            var close = open < 0 ? -1 : arg.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                parts.Add(new Part(arg[pos..], false));
                break;
            }
            if (open > pos) parts.Add(new Part(arg[pos..open], false));
            parts.Add(new Part(arg[(open + 1)..close].Trim(), true));
            pos = close + 1;
        }
        return parts.ToArray();
    }

    private readonly record struct Part(string Text, bool IsTag);
}
