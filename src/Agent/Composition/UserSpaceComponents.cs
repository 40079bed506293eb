using Ingrain.Actors.Backends.Http;
using Ingrain.Actors.Backends.S3;
using Ingrain.Actors.Backends.StatsD;
using Ingrain.Actors.Logging;
using Ingrain.Actors.Metrics;
using Ingrain.Actors.Topology;
using Ingrain.Probes.Command;
using Ingrain.Probes.StatsD;
using Microsoft.Extensions.Logging;

namespace Ingrain.Agent.Composition;

/// <summary>
/// HOCON bindings of the user-space probes (statsd, command) and the network backends (statsd, http, s3): each reads
/// its keys into its options record (defaults from the record, or from reference.hocon), then reports the record's
/// own <c>Validate()</c> problems as configuration errors of that component.
/// </summary>
internal static class UserSpaceComponents
{
    public static IEnumerable<BackendType> Backends()
    {
        yield return BackendType.Of("statsd", ParseStatsDBackend, (o, c) => new StatsDBackendWriter(o, c.LoggerFactory.CreateLogger<StatsDBackendWriter>()));
        yield return BackendType.Of("http", ParseHttp, (o, c) => new HttpBackendWriter(o, c.LoggerFactory.CreateLogger<HttpBackendWriter>(), c.Time));
        yield return BackendType.Of("s3", ParseS3, (o, c) => new S3BackendWriter(o.Resolve(), c.LoggerFactory.CreateLogger<S3BackendWriter>(), c.Time));
    }

    public static IEnumerable<ProbeType> Probes()
    {
        yield return ProbeType.Of("statsd", ParseStatsDProbe, (o, c) =>
        {
            var listener = new StatsDListener(o, c.LoggerFactory.CreateLogger<StatsDListener>(), c.Time);
            return new Runner((sink, ct) => listener.RunAsync(sink.Emit, ct), listener.DisposeAsync);
        });
        yield return ProbeType.Of("command", ParseCommand, (o, c) =>
        {
            var probe = new CommandProbe(o with { ProbeName = c.Name }, c.LoggerFactory.CreateLogger<CommandProbe>(), c.Time);
            return new Runner((sink, ct) => probe.RunAsync(sink.Emit, ct), () => ValueTask.CompletedTask);
        });
    }

    private static T? Validated<T>(ConfigSection s, T options, Func<T, IReadOnlyList<string>> validate) where T : class
    {
        var problems = validate(options);
        foreach (var problem in problems) s.Error(null, problem);
        return problems.Count == 0 ? options : null;
    }

    private static StatsDBackendOptions? ParseStatsDBackend(ConfigSection s)
    {
        var d = new StatsDBackendOptions();
        return Validated(s, new StatsDBackendOptions
        {
            Host = s.String("host", d.Host)!,
            Port = s.Int("port", d.Port),
            SocketPath = s.String("socket-path"),
            Prefix = s.String("prefix", d.Prefix)!,
            MaxPacketSize = s.Int("max-packet-size", d.MaxPacketSize),
            HistogramType = s.Choice("histogram-type", d.HistogramType, new Dictionary<string, StatsDHistogramType>
            {
                ["histogram"] = StatsDHistogramType.Histogram,
                ["distribution"] = StatsDHistogramType.Distribution,
            }),
        }, o => o.Validate());
    }

    private static HttpBackendOptions? ParseHttp(ConfigSection s)
    {
        var d = new HttpBackendOptions();
        var uri = s.String("uri", required: true);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (s.Object("headers") is { } h)
        {
            foreach (var key in h.User.Keys)
            {
                if (h.String(key) is { } value) headers[key] = value;
            }
        }
        if (uri is not null && !Uri.TryCreate(uri, UriKind.Absolute, out _)) s.Error("uri", $"\"{Redaction.Text(uri)}\" is not an absolute URI");
        var retry = ReadRetry(s, d.MaxRetries, d.RetryDelay, d.RetryMaxDelay);
        return Validated(s, new HttpBackendOptions
        {
            Uri = uri is not null && Uri.TryCreate(uri, UriKind.Absolute, out var u) ? u : null,
            Headers = headers,
            Encoding = s.Choice("encoding", d.Encoding, new Dictionary<string, HttpBodyEncoding> { ["json"] = HttpBodyEncoding.Json, ["ndjson"] = HttpBodyEncoding.Ndjson }),
            Gzip = s.Bool("gzip", d.Gzip),
            BatchSize = s.Int("batch-size", d.BatchSize),
            BatchBytes = (int)Math.Min(int.MaxValue, s.Bytes("batch-bytes", d.BatchBytes)),
            FlushInterval = s.Duration("flush-interval", d.FlushInterval),
            Timeout = s.Duration("timeout", d.Timeout),
            MaxRetries = retry.MaxRetries,
            RetryDelay = retry.Delay,
            RetryMaxDelay = retry.MaxDelay,
            MaxPendingBytes = s.Bytes("max-pending-bytes", d.MaxPendingBytes),
        }, o => o.Validate());
    }

    /// <summary>The retry keys the HTTP and S3 backends share.</summary>
    private static (int MaxRetries, TimeSpan Delay, TimeSpan MaxDelay) ReadRetry(ConfigSection s, int maxRetries, TimeSpan delay, TimeSpan maxDelay) =>
        (s.Int("max-retries", maxRetries), s.Duration("retry-delay", delay), s.Duration("retry-max-delay", maxDelay));

    private static S3BackendConfig? ParseS3(ConfigSection s)
    {
        var d = new S3BackendOptions();
        var endpoint = s.String("endpoint");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _)) s.Error("endpoint", $"\"{Redaction.Text(endpoint)}\" is not an absolute http:// or https:// URL");
        var host = s.String("host");
        var retry = ReadRetry(s, d.MaxRetries, d.RetryDelay, d.RetryMaxDelay);
        var options = Validated(s, new S3BackendOptions
        {
            Bucket = s.String("bucket", d.Bucket, required: true) ?? "",
            Prefix = s.String("prefix", d.Prefix)!,
            Region = s.String("region"),
            Endpoint = endpoint is not null && Uri.TryCreate(endpoint, UriKind.Absolute, out var e) ? e : null,
            ForcePathStyle = s.Bool("force-path-style", d.ForcePathStyle),
            FlushInterval = s.Duration("flush-interval", d.FlushInterval),
            MaxBatchSize = s.Bytes("max-batch-size", d.MaxBatchSize),
            SpoolDir = s.String("spool-dir", d.SpoolDir)!,
            SpoolMaxSize = s.Bytes("spool-max-size", d.SpoolMaxSize),
            Host = host ?? d.Host,
            UploadTimeout = s.Duration("upload-timeout", d.UploadTimeout),
            MaxRetries = retry.MaxRetries,
            RetryDelay = retry.Delay,
            RetryMaxDelay = retry.MaxDelay,
        }, o => o.Validate());
        return options is null ? null : new S3BackendConfig(options, HostFromSystem: host is null);
    }

    private static StatsDProbeOptions? ParseStatsDProbe(ConfigSection s)
    {
        var d = new StatsDProbeOptions();
        return Validated(s, new StatsDProbeOptions
        {
            Bind = s.String("bind", d.Bind)!,
            ReceiveBufferBytes = (int)Math.Min(int.MaxValue, s.Bytes("receive-buffer", d.ReceiveBufferBytes)),
        }, o => o.Validate());
    }

    private static readonly Dictionary<string, MeasurementKind> Kinds = new()
    {
        ["counter"] = MeasurementKind.Counter,
        ["gauge"] = MeasurementKind.Gauge,
        ["meter"] = MeasurementKind.Meter,
        ["histogram"] = MeasurementKind.Histogram,
        ["timer"] = MeasurementKind.Timer,
        ["set"] = MeasurementKind.Set,
    };

    private static CommandProbeOptions? ParseCommand(ConfigSection s)
    {
        var d = new CommandProbeOptions();
        return Validated(s, new CommandProbeOptions
        {
            Name = s.String("name", d.Name)!,
            Command = s.StringList("command", required: true),
            Interval = s.Duration("interval", d.Interval),
            Timeout = s.Duration("timeout", d.Timeout),
            ValueColumn = s.String("value-column"),
            RowsField = s.String("rows-field"),
            Kind = s.Choice("kind", d.Kind, Kinds),
            Unit = s.Choice("unit", d.Unit, new Dictionary<string, MeasurementUnit> { ["count"] = MeasurementUnit.Count, ["byte"] = MeasurementUnit.Byte }),
            RunAtStart = s.Bool("run-at-start", d.RunAtStart),
            MaxOutputBytes = (int)Math.Min(int.MaxValue, s.Bytes("max-output", d.MaxOutputBytes)),
        }, o => o.Validate());
    }

    private sealed class Runner(Func<IProbeSink, CancellationToken, Task> run, Func<ValueTask> dispose) : IProbeRunner
    {
        public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            try
            {
                await run(sink, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        public ValueTask DisposeAsync() => dispose();
    }
}
