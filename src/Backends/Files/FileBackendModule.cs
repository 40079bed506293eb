namespace Ingrain.Backends.Files;

/// <summary><c>backend { type = file }</c>: JSON lines appended to a file, rotated by size.</summary>
public sealed class FileBackendModule : BackendModule<FileBackendOptions>
{
    public override string Name => "file";

    protected override FileBackendOptions? Parse(ConfigSection s)
    {
        var path = s.String("path", required: true);
        if (path is not null && OutputPathCheck.Problem(path) is { } problem) s.Error("path", problem);
        var options = new FileBackendOptions(
            path ?? "",
            s.Bytes("max-size", min: 1024),
            s.Int("max-files", min: 0),
            s.Choice("encoding", JsonLineEncodings.ByName));
        return path is null ? null : options;
    }

    protected override IBackendWriter Create(FileBackendOptions options, BackendContext context) => new FileBackendWriter(options);
}
