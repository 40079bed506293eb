using System.IO.Compression;
using Ingrain.Actors.Tests.Backends.Peers;
using Ingrain.Actors.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// The S3 backend inside a running topology, against a real s3rver: the shutdown deadline reaches the writer (what
/// cannot be uploaded in time is spooled, and the shutdown keeps its timeout), and a reload that replaces a pipeline
/// writing to the same bucket hands the spool over from the old writer to the new one without losing anything.
/// </summary>
public sealed class S3BackendTopologySpec : AkkaSpec, IDisposable
{
    private const string Backend = "ingrain.pipelines.archive.backend";

    private readonly TestComponents _components = new();
    private readonly string _spoolDir = Path.Combine(Path.GetTempPath(), $"ingrain-topology-spool-{Guid.NewGuid():N}");

    public S3BackendTopologySpec(ITestOutputHelper output) : base(output) => S3rverServer.UseCredentialsFromEnvironment();

    void IDisposable.Dispose()
    {
        if (Directory.Exists(_spoolDir)) Directory.Delete(_spoolDir, recursive: true);
    }

    /// <summary>A topology feeding <c>archive</c> (steps given) whose backend uploads to <paramref name="s3"/>.</summary>
    private string Config(S3rverServer s3, string steps = "", int maxRetries = 1, string retryDelay = "50ms") => $$"""
        ingrain {
          probes { in { type = scripted, pipelines = [archive] } }
          pipelines {
            archive {
              steps = [ {{steps}} ]
              backend {
                type = s3, bucket = {{s3.Bucket}}, endpoint = "{{s3.Endpoint}}", spool-dir = "{{_spoolDir}}"
                max-retries = {{maxRetries}}, retry-delay = {{retryDelay}}, flush-interval = 1h
              }
            }
          }
        }
        """;

    private TopologySpec Compile(string text)
    {
        var result = TopologyLoader.FromText(text, Registry());
        Assert.Empty(result.Errors);
        return result.Spec!;
    }

    private ModuleRegistry Registry()
    {
        var registry = _components.Registry();
        registry.Register(InlineModule.Backend("s3", s => ComponentSettings.S3 with
        {
            Bucket = s.String("bucket", required: true)!,
            Endpoint = new Uri(s.String("endpoint", required: true)!),
            ForcePathStyle = true,
            Host = "host-a.example.com",
            SpoolDir = s.String("spool-dir", required: true)!,
            UploadTimeout = TimeSpan.FromSeconds(10),
            MaxRetries = s.Has("max-retries") ? s.Int("max-retries") : 1,
            RetryDelay = s.Has("retry-delay") ? s.Duration("retry-delay") : TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromSeconds(2),
        }, (o, c) => new S3BackendWriter(o, c.LoggerFactory.CreateLogger<S3BackendWriter>(), c.Time)));
        return registry;
    }

    private void Send(string name, int from, int count)
    {
        for (var i = from; i < from + count; i++)
            Assert.True(_components.Feed.Writer.TryWrite(new Measurement(Measurement.NowNanos(), MeasurementKind.Counter, name, MeasurementValue.Count(i), Tags.Empty)));
    }

    private Task ReceivedAsync(RunningTopology topology, string backend, int count) =>
        AwaitConditionAsync(() => topology.Counters()[backend].Received >= count, TimeSpan.FromSeconds(20), message: $"{count} measurement(s) at {backend}");

    /// <summary>Measurements in the spool: every batch file is the gzipped NDJSON that would be uploaded.</summary>
    private int SpooledMeasurements() =>
        Directory.Exists(_spoolDir)
            ? Directory.GetFiles(_spoolDir, "*.batch", SearchOption.AllDirectories).Sum(path =>
            {
                using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip);
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            })
            : 0;

    [Fact]
    public async Task Shutdown_keeps_its_timeout_with_the_store_down_and_spools_everything_then_the_next_run_uploads_it()
    {
        using var s3 = new S3rverServer("archive"); // not started: nothing listens on its port
        // Without the shutdown's deadline the writer would retry the upload for about a minute.
        var config = Config(s3, maxRetries: 30, retryDelay: "2s").Replace("ingrain {", "ingrain {\n  agent.shutdown-timeout = 2s", StringComparison.Ordinal);
        var topology = RunningTopology.Start(Sys, Compile(config), Logs);
        Send("m", 0, 100);
        await ReceivedAsync(topology, Backend, 100);

        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(3)), "the shutdown must finish within its timeout");

        Assert.Equal(100, SpooledMeasurements());

        // The next run, with the store up, uploads the spooled batch at its first flush (here: its shutdown's drain).
        await s3.StartAsync();
        // A new agent process: a new actor system (this one ran its coordinated shutdown).
        using var nextSystem = Akka.Actor.ActorSystem.Create("next-run", SystemConfig);
        var next = RunningTopology.Start(nextSystem, Compile(config), Logs);
        Assert.True(await next.ShutdownAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(0, 100), (await s3.AllMeasurementsAsync()).Select(e => (int)e.GetProperty("value").GetDouble()).Order());
        Assert.Equal(0, SpooledMeasurements());
    }

    [Fact]
    public async Task Reload_of_a_pipeline_writing_to_the_same_bucket_while_measurements_flow_delivers_everything()
    {
        using var s3 = new S3rverServer("archive");
        await s3.StartAsync();
        var topology = RunningTopology.Start(Sys, Compile(Config(s3, "{ type = pause, per-measurement = 5ms }")), Logs);

        // A backlog in the old pipeline's slow step keeps its writer (and its spool's lock) open for seconds after
        // the new pipeline, already fed, wants to open its own on the same spool.
        Send("slow", 0, 1500);
        await AwaitConditionAsync(() => topology.Status().Single(s => s.Path.EndsWith("steps[0]", StringComparison.Ordinal))["received"] > 0,
            TimeSpan.FromSeconds(10), message: "the slow step got work");
        var backendBefore = topology.Counters()[Backend];

        var reload = new TopologyReloader(topology, NullLogger.Instance)
            .ReloadAsync(() => TopologyLoader.FromText(Config(s3, "{ type = pause, per-measurement = 2ms }"), Registry()));
        var produced = 1500;
        while (!reload.IsCompleted)
        {
            Send("fast", produced, 10);
            produced += 10;
            await Task.Delay(10);
        }
        var outcome = await reload;
        Assert.True(outcome.Applied);
        Assert.Equal(["archive"], outcome.Diff!.Pipelines.ToChange);
        Send("fast", produced, 100);
        produced += 100;

        var backendAfter = topology.Counters()[Backend];
        Assert.NotSame(backendBefore, backendAfter);
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(0, backendBefore.Failed);
        Assert.Equal(0, backendAfter.Failed);
        Assert.Equal(0, backendAfter.Dropped);
        var delivered = (await s3.AllMeasurementsAsync()).Select(e => (int)e.GetProperty("value").GetDouble()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, produced), delivered);
        Assert.Equal(0, SpooledMeasurements());
    }

    [Fact]
    public async Task A_backend_whose_spool_another_instance_holds_waits_for_it_as_long_as_it_takes_and_loses_nothing()
    {
        using var s3 = new S3rverServer("archive");
        await s3.StartAsync();
        var spool = (ComponentSettings.S3 with { Bucket = s3.Bucket, Endpoint = new Uri(s3.Endpoint.ToString()), SpoolDir = _spoolDir }).SpoolDirectory;
        var holder = new S3Spool(spool, 1024 * 1024, new BackendCounters(), NullLogger.Instance);
        var topology = RunningTopology.Start(Sys, Compile(Config(s3)), Logs);
        Send("m", 0, 100);
        await ReceivedAsync(topology, Backend, 100);

        // Longer than a failing open is retried (five attempts, about 4 s) before its batch counts as failed.
        await Task.Delay(TimeSpan.FromSeconds(6));
        holder.Dispose();
        var backend = topology.Counters()[Backend];
        Assert.True(await topology.ShutdownAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(0, backend.Failed);
        Assert.Equal(0, backend.Dropped);
        Assert.Equal(Enumerable.Range(0, 100), (await s3.AllMeasurementsAsync()).Select(e => (int)e.GetProperty("value").GetDouble()).Order());
    }
}
