namespace Ingrain.Hocon.Tests;

/// <summary>Locates the shared conformance folder: <c>../shared/hocon-conformance</c> from the repository root.</summary>
internal static class ConformanceData
{
    private static readonly Lazy<string> Folder = new(Locate);
    private static readonly Lazy<string> Repository = new(LocateRepository);

    /// <summary>The folder that holds Ingrain.Actors.sln.</summary>
    public static string RepositoryRoot => Repository.Value;

    public static string Root => Folder.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string LocateRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ingrain.Actors.sln"))) directory = directory.Parent;
        return directory?.FullName
            ?? throw new InvalidOperationException($"repository root (folder with Ingrain.Actors.sln) not found above {AppContext.BaseDirectory}");
    }

    private static string Locate()
    {
        var folder = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "hocon-conformance"));
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
            throw new InvalidOperationException($"HOCON conformance data missing: expected {folder}/manifest.json (the folder ../shared/hocon-conformance next to the repository)");
        return folder;
    }
}
