using Ingrain.TestSupport;

namespace Ingrain.Hocon.Tests;

/// <summary>Locates the shared conformance folder: <c>../shared/hocon-conformance</c> from the repository root.</summary>
internal static class ConformanceData
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Root => Folder.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Locate()
    {
        var folder = Path.Combine(RepoPaths.SharedDirectory, "hocon-conformance");
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
            throw new InvalidOperationException($"HOCON conformance data missing: expected {folder}/manifest.json (the folder ../shared/hocon-conformance next to the repository)");
        return folder;
    }
}
