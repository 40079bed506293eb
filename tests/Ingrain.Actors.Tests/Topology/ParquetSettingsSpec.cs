using Ingrain.Backends.Parquet;
using Xunit;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>The Parquet keys of the file and S3 backends as the agent compiles them: defaults, and errors that name the key.</summary>
public sealed class ParquetSettingsSpec : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ingrain-parquet-settings-{Guid.NewGuid():N}");

    public ParquetSettingsSpec() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CompileResult Compile(string backend) => TopologyLoader.FromText($$"""
        ingrain {
          probes { in { type = synthetic, pipelines = [out] } }
          pipelines { out { backend { {{backend}} } } }
        }
        """, new ModuleRegistry([.. Builtins.Modules(), new S3BackendModule()]));

    [Fact]
    public void A_parquet_file_backend_writes_a_directory_with_the_reference_defaults()
    {
        var result = Compile($"type = file, encoding = parquet, path = \"{_dir}/out\"");
        Assert.Empty(result.Errors);
        var options = Assert.IsType<FileBackendOptions>(result.Spec!.Pipelines["out"].Backend.Options);
        Assert.Equal(new ParquetSettings(131_072, ParquetCompression.Zstd), options.Parquet!.Settings);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Parquet.RollInterval);

        var ndjson = Assert.IsType<FileBackendOptions>(Compile($"type = file, path = \"{_dir}/out.ndjson\"").Spec!.Pipelines["out"].Backend.Options);
        Assert.Null(ndjson.Parquet);
    }

    [Fact]
    public void A_parquet_path_that_is_a_regular_file_and_an_unknown_codec_are_errors()
    {
        var file = Path.Combine(_dir, "events.ndjson");
        File.WriteAllText(file, "");
        var result = Compile($"type = file, encoding = parquet, path = \"{file}\", parquet-compression = lz4, row-group-size = 10");
        Assert.Contains(result.Errors, e => e.Message.Contains("not a directory", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("lz4", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("row-group-size", StringComparison.Ordinal) || e.Message.Contains("1000", StringComparison.Ordinal));
    }

    [Fact]
    public void The_s3_backend_defaults_to_ndjson_and_takes_parquet()
    {
        var defaults = Assert.IsType<S3BackendConfig>(Compile("type = s3, bucket = b").Spec!.Pipelines["out"].Backend.Options).Options;
        Assert.Equal(S3Encoding.Ndjson, defaults.Encoding);
        var parquet = Compile("type = s3, bucket = b, encoding = parquet, parquet-compression = snappy, row-group-size = 50000");
        Assert.Empty(parquet.Errors);
        var options = Assert.IsType<S3BackendConfig>(parquet.Spec!.Pipelines["out"].Backend.Options).Options;
        Assert.Equal(S3Encoding.Parquet, options.Encoding);
        Assert.Equal(new ParquetSettings(50_000, ParquetCompression.Snappy), options.Parquet);
        Assert.Contains(Compile("type = s3, bucket = b, encoding = orc").Errors, e => e.Message.Contains("orc", StringComparison.Ordinal));
    }
}
