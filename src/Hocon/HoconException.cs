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

    private static string Format(string problem, HoconOrigin? origin, string? path)
    {
        var where = (origin ?? HoconOrigin.Unknown).ToString();
        return path is null ? $"{where}: {problem}" : $"{where}: path '{path}': {problem}";
    }
}
