using System.Text.RegularExpressions;

namespace Ingrain.Steps.RegexReplace;

/// <summary>
/// Checks a .NET replacement string against its pattern. <c>Match.Result</c> writes a reference to a group the
/// pattern doesn't have (<c>$2</c>, <c>${name}</c>) literally, so such a typo would only show up in the output.
/// </summary>
public static class ReplacementReferences
{
    /// <summary>The group references in <paramref name="replacement"/> (as written, e.g. <c>$2</c>) that name no
    /// group of <paramref name="pattern"/>.</summary>
    public static IReadOnlyList<string> Unknown(Regex pattern, string replacement)
    {
        var numbers = pattern.GetGroupNumbers();
        var names = pattern.GetGroupNames();
        var unknown = new List<string>();
        for (var i = 0; i < replacement.Length - 1; i++)
        {
            if (replacement[i] != '$') continue;
            var next = replacement[i + 1];
            if (next == '$') { i++; continue; } // "$$" is a literal dollar
            if (char.IsAsciiDigit(next))
            {
                var end = i + 1;
                while (end < replacement.Length && char.IsAsciiDigit(replacement[end])) end++;
                if (!IsKnownNumber(replacement[(i + 1)..end], numbers)) unknown.Add(replacement[i..end]);
                i = end - 1;
            }
            else if (next == '{')
            {
                var close = replacement.IndexOf('}', i + 2);
                if (close < 0) continue;
                var name = replacement[(i + 2)..close];
                var known = name.Length > 0 && name.All(char.IsAsciiDigit) ? IsKnownNumber(name, numbers) : names.Contains(name, StringComparer.Ordinal);
                if (!known) unknown.Add(replacement[i..(close + 1)]);
                i = close;
            }
        }
        return unknown;
    }

    private static bool IsKnownNumber(string digits, int[] numbers) =>
        int.TryParse(digits, out var n) && Array.IndexOf(numbers, n) >= 0;
}
