namespace Ingrain.Hocon;

/// <summary>
/// Every HOCON failure: syntax error, wrong type, missing path, unresolved substitution, cycle or bad include.
/// The message always starts with <c>file:line:col</c> and names the path when one is involved.
/// </summary>
public class HoconException : Exception
{
    public HoconException(string problem, HoconOrigin? origin = null, string? path = null, Exception? inner = null)
        : base(Format(problem, origin, path), inner)
    {
        Problem = problem;
        Origin = origin ?? HoconOrigin.Unknown;
        Path = path;
    }

    /// <summary>The problem alone, without location prefix.</summary>
    public string Problem { get; }

    public HoconOrigin Origin { get; }

    /// <summary>The config path involved (e.g. <c>a.b.c</c>), or null when the error is not about a path.</summary>
    public string? Path { get; }

    private const int MaxTextLengthInMessage = 200;
    private const int ClippedHead = 120;
    private const int ClippedTail = 60;

    private static string Format(string problem, HoconOrigin? origin, string? path)
    {
        var where = (origin ?? HoconOrigin.Unknown).ToString();
        return path is null ? $"{where}: {problem}" : $"{where}: path '{Clip(path)}': {problem}";
    }

    /// <summary>A path (or input text) short enough for a message: huge text from hostile input keeps its start and
    /// end, and the message says how much was left out. <see cref="Path"/> keeps the whole path.</summary>
    internal static string Clip(string text)
    {
        if (text.Length <= MaxTextLengthInMessage) return text;
        var head = char.IsHighSurrogate(text[ClippedHead - 1]) ? ClippedHead - 1 : ClippedHead;
        var tail = char.IsLowSurrogate(text[^ClippedTail]) ? ClippedTail - 1 : ClippedTail;
        return $"{text[..head]}...({text.Length - head - tail} characters left out)...{text[^tail..]}";
    }
}
