namespace Ingrain.Backends.S3;

/// <summary>Another S3 backend (in this agent or another process) already spools into the directory.</summary>
public sealed class S3SpoolInUseException(string directory, Exception inner) : BackendInUseException(
    $"S3 spool directory '{directory}' is already in use by another S3 backend or agent: give each S3 backend its own spool-dir.",
    inner)
{
    public string Directory { get; } = directory;
}
