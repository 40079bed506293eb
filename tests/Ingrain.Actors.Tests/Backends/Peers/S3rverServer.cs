using System.IO.Compression;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Ingrain.Actors.Tests.Backends.Peers;

/// <summary>
/// A real s3rver 3.7.1 on loopback with its data in a temp directory; can be stopped and started again on the
/// same port and data (an outage). Its access key is <c>S3RVER</c>.
/// </summary>
internal sealed class S3rverServer : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"ingrain-s3rver-{Guid.NewGuid():N}");
    private NodePeer? _node;

    public S3rverServer(string bucket, int? port = null)
    {
        Bucket = bucket;
        Port = port ?? PeerPaths.FreeTcpPort();
        Directory.CreateDirectory(_dataDir);
    }

    public string Bucket { get; }
    public int Port { get; }
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>Makes the writer's default credential chain find the s3rver key (environment variables).</summary>
    public static void UseCredentialsFromEnvironment()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretKey);
    }

    public async Task StartAsync()
    {
        var modules = PeerPaths.NodeModules();
        var dir = Path.Combine(modules, "s3rver");
        _node = NodePeer.Start(Path.Combine(dir, "bin", "s3rver.js"),
            ["-d", _dataDir, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent", "--configure-bucket", Bucket], dir);
        await PeerPaths.WaitForTcpAsync(Port, TimeSpan.FromSeconds(20), () => _node.Output);
    }

    public void Stop()
    {
        _node?.Dispose();
        _node = null;
    }

    public IAmazonS3 Client() => new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task<IReadOnlyList<string>> KeysAsync()
    {
        using var s3 = Client();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return keys;
    }

    /// <summary>The measurement objects of one gzipped NDJSON object.</summary>
    public async Task<IReadOnlyList<JsonElement>> ReadNdjsonGzAsync(string key)
    {
        using var s3 = Client();
        using var response = await s3.GetObjectAsync(Bucket, key);
        using var gzip = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var text = await reader.ReadToEndAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    /// <summary>
    /// Every measurement in the bucket, in the NDJSON shape: gzipped NDJSON objects decoded, Parquet objects
    /// downloaded under their keys and read by DuckDB (<see cref="DuckDbParquet.AsMeasurements"/>).
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> AllMeasurementsAsync()
    {
        var all = new List<JsonElement>();
        var keys = await KeysAsync();
        foreach (var key in keys.Where(k => k.EndsWith(".ndjson.gz", StringComparison.Ordinal))) all.AddRange(await ReadNdjsonGzAsync(key));
        var parquet = await DownloadParquetAsync();
        try
        {
            using var duck = new DuckDbParquet(parquet);
            all.AddRange(duck.AsMeasurements());
        }
        finally
        {
            Directory.Delete(parquet, recursive: true);
        }
        return all;
    }

    /// <summary>Downloads every <c>.parquet</c> object into a new temporary directory, each under its key; returns the directory.</summary>
    public async Task<string> DownloadParquetAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"ingrain-parquet-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        using var s3 = Client();
        foreach (var key in (await KeysAsync()).Where(k => k.EndsWith(".parquet", StringComparison.Ordinal)))
        {
            using var response = await s3.GetObjectAsync(Bucket, key);
            var path = Path.Combine(root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var file = File.Create(path);
            await response.ResponseStream.CopyToAsync(file);
        }
        return root;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
