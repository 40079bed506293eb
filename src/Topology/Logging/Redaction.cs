using System.Text.RegularExpressions;

namespace Ingrain.Topology.Logging;

/// <summary>
/// Hides the secrets a URI may carry before it is logged or shown: the userinfo (<c>user:password@</c>) and every
/// query value (<c>?api_key=KEY</c>), each replaced by <c>***</c>; scheme, host, port, path and query keys stay, so
/// the operator still sees where the agent is sending. Before, <c>http://user:PASSW0RD@…/x?api_key=KEY123</c> was in
/// every HTTP outage warning.
/// </summary>
public static partial class Redaction
{
    private const string Hidden = "***";

    /// <summary>The URI with userinfo and query values hidden; "(none)" for null. Worked out on the text as written,
    /// not on <see cref="System.Uri"/>'s parts: for some schemes (ftp) .NET files the query under the path.</summary>
    public static string Uri(Uri? uri) => uri is null ? "(none)" : Text(uri.OriginalString);

    /// <summary>Free text (an error message, a configuration value) with every URI in it redacted.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        return UriInText().Replace(text, m => One(m.Value));
    }

    private static string One(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = text.IndexOfAny(['/', '?', '#'], schemeEnd);
        if (authorityEnd < 0) authorityEnd = text.Length;
        var authority = text[schemeEnd..authorityEnd];
        var at = authority.LastIndexOf('@');
        var rest = text[authorityEnd..];
        var fragment = "";
        if (rest.IndexOf('#') is var hash and >= 0)
        {
            fragment = "#" + Hidden;
            rest = rest[..hash];
        }
        if (rest.IndexOf('?') is var query and >= 0) rest = rest[..(query + 1)] + Query(rest[(query + 1)..]);
        return text[..schemeEnd] + (at < 0 ? authority : Hidden + authority[at..]) + rest + fragment;
    }

    private static string Query(string query) =>
        string.Join('&', query.Split('&').Select(part => part.IndexOf('=') is var eq and >= 0 ? part[..(eq + 1)] + Hidden : Hidden));

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>]+")]
    private static partial Regex UriInText();
}
