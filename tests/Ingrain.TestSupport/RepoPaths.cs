namespace Ingrain.TestSupport;

/// <summary>Where tests find the repository and the shared data next to it, from the test binary's folder.</summary>
public static class RepoPaths
{
    private const string SolutionFile = "Ingrain.Actors.sln";

    private static readonly Lazy<string> RootFolder = new(LocateRoot);

    /// <summary>The repository root: the nearest folder above the test binaries that holds Ingrain.Actors.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary><c>Root/../shared</c>: reference material and test data kept next to the repository (not checked
    /// for existence; callers say which file they expect there).</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string LocateRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, SolutionFile))) directory = directory.Parent;
        return directory?.FullName
            ?? throw new InvalidOperationException($"repository root (folder with {SolutionFile}) not found above {AppContext.BaseDirectory}");
    }
}
