using Ingrain.Backends.Parquet;
using Ingrain.Model.Json;
using Microsoft.Extensions.Logging;

namespace Ingrain.Backends.Files;

/// <summary><c>backend { type = file }</c>: JSON lines appended to a file, rotated by size; or Parquet files in a directory.</summary>
public sealed class FileBackendModule : BackendModule<FileBackendOptions>
{
    public override string Name => "file";

    private const string ParquetName = "parquet";

    private static readonly IReadOnlyDictionary<string, string> EncodingNames =
        JsonLineEncodings.ByName.Keys.Append(ParquetName).ToDictionary(n => n);

    protected override FileBackendOptions? Parse(ConfigSection s)
    {
        var path = s.String("path", required: true);
        var encoding = s.Choice("encoding", EncodingNames);
        var parquet = encoding == ParquetName;
        if (path is not null && (parquet ? OutputPathCheck.DirectoryProblem(path) : OutputPathCheck.Problem(path)) is { } problem) s.Error("path", problem);
        // Read whatever the encoding: every key is checked, and every default is known to come from reference.hocon.
        var parquetSettings = ParquetSettings.Read(s);
        var rollInterval = s.Duration("roll-interval", min: TimeSpan.FromSeconds(1));
        var options = new FileBackendOptions(
            path ?? "",
            s.Bytes("max-size", min: 1024),
            s.Int("max-files", min: 0),
            encoding is not null && JsonLineEncodings.ByName.TryGetValue(encoding, out var lines) ? lines : JsonLineEncoding.Ingrain)
        {
            // The host is the machine's FQDN, read when the writer is created (check-config has no side effects).
            Parquet = parquet ? new ParquetFileOptions(parquetSettings, rollInterval, "") : null,
        };
        return path is null ? null : options;
    }

    protected override IBackendWriter Create(FileBackendOptions options, BackendContext context) =>
        options.Parquet is { } parquet
            ? new ParquetFileWriter(options.Path, parquet with { Host = SystemDetails.Read().Host },
                context.LoggerFactory.CreateLogger<ParquetFileWriter>(), context.Time)
            : new FileBackendWriter(options);
}
