using System.Text;

namespace Ingrain.Probes.Files;

/// <summary>
/// Lexical path handling shared with the kernel side: normalization as bpf/files scans a failed open's path ("" and
/// "." stay, ".." goes up and never above the root), and the FNV-1a hash of a normalized absolute path that the
/// <c>monitored_paths</c> map holds (<c>"/"</c> hashes as the empty string).
/// </summary>
public static class PathText
{
    private const ulong FnvBasis = 0xcbf29ce484222325UL, FnvPrime = 0x100000001b3UL;

    /// <summary>An absolute path without ".", ".." or repeated slashes (symbolic links are not followed).</summary>
    public static string Normalize(string absolute)
    {
        var parts = new List<string>();
        foreach (var part in absolute.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>The kernel's hash of a normalized absolute path.</summary>
    public static ulong Hash(string normalized)
    {
        var h = FnvBasis;
        if (normalized == "/") return h;
        foreach (var b in Encoding.UTF8.GetBytes(normalized)) h = (h ^ b) * FnvPrime;
        return h;
    }
}
