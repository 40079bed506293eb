namespace Ingrain.Probes.Files;

/// <summary>The measurement names of the files probe (a contract: docs/probes.md) and the operations that produce them.</summary>
public static class FilesMeasurements
{
    public const string Open = "file.open";
    public const string Read = "file.read";
    public const string Write = "file.write";

    /// <summary>The <c>operations</c> a user may name: <c>open</c>, <c>read</c>, <c>write</c>.</summary>
    public static readonly IReadOnlyList<string> Operations = ["open", "read", "write"];
}
