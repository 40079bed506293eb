using Ingrain.TestSupport;
using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>
/// Locates the shared conformance folder: <c>INGRAIN_CONFORMANCE_DIR</c> when set, else <c>../shared/hocon-conformance</c>
/// from the repository root. A clone on its own has no such folder: the tests that need it are then skipped with
/// <see cref="MissingReason"/> (where it looked, how to point elsewhere), except under CI, where they run and fail.
/// </summary>
internal static class ConformanceData
{
    public const string Variable = "INGRAIN_CONFORMANCE_DIR";

    public static string Folder { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set
        ? Path.GetFullPath(set)
        : Path.Combine(RepoPaths.SharedDirectory, "hocon-conformance");

    public static bool Present => File.Exists(Path.Combine(Folder, "manifest.json"));

    public static string MissingReason =>
        $"HOCON conformance data not found: looked for {Folder}/manifest.json (the folder ../shared/hocon-conformance next to the " +
        $"repository, or the folder {Variable} names)";

    public static string Root => Present ? Folder : throw new InvalidOperationException(MissingReason);

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Skip text for a test that needs the data, or null: never skipped under CI.</summary>
    public static string? Skip => Present || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) ? null : MissingReason;
}

/// <summary>A fact that needs the shared conformance data (skipped with the reason when a clone has none; fails under CI).</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute() => Skip = ConformanceData.Skip;
}

/// <summary>A theory whose rows come from the shared conformance data (see <see cref="ConformanceFactAttribute"/>).</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute() => Skip = ConformanceData.Skip;
}
