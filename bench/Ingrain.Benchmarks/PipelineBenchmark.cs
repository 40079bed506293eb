using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Ingrain.Actors;
using Ingrain.Actors.Pipeline;
using Ingrain.Actors.Topology;

namespace Ingrain.Benchmarks;

/// <summary>
/// <c>make bench ARGS="pipeline [measurements]"</c>: measurements per second through
/// whitelist → regex → buffer → null backend, each a step actor on a bounded backpressure mailbox, beside, in the
/// same run: (1) the raw ceiling of one bounded Channel moving the same batches, and of one moving the measurements
/// one by one, and (2) the same three steps called inline on one thread (the cost of the steps alone). Prints a
/// Markdown table.
/// </summary>
internal static class PipelineBenchmark
{
    private const int BatchSize = 256;

    public static int Run(string[] args)
    {
        var total = args.Length > 0 ? long.Parse(args[0]) : 5_000_000;
        var batches = Batches();
        var rounds = (int)(total / BatchSize);
        total = (long)rounds * BatchSize;

        // Warm-up (JIT, tiering), then the measured runs.
        RawChannel(batches, rounds / 10).GetAwaiter().GetResult();
        RawChannelPerMeasurement(batches, rounds / 10).GetAwaiter().GetResult();
        ActorPipeline(batches, rounds / 10).GetAwaiter().GetResult();
        Inline(batches, rounds / 10);

        var channel = RawChannel(batches, rounds).GetAwaiter().GetResult();
        var perItem = RawChannelPerMeasurement(batches, rounds).GetAwaiter().GetResult();
        var inline = Inline(batches, rounds);
        var pipeline = ActorPipeline(batches, rounds).GetAwaiter().GetResult();

        Console.WriteLine($"| measurements | {total:N0} (batches of {BatchSize}) |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| raw bounded Channel<MeasurementBatch> ceiling (one item per batch) | {total / channel.TotalSeconds:N0} /s |");
        Console.WriteLine($"| raw bounded Channel<Measurement> ceiling (one item per measurement) | {total / perItem.TotalSeconds:N0} /s |");
        Console.WriteLine($"| steps inline, one thread (whitelist → regex → buffer) | {total / inline.TotalSeconds:N0} /s |");
        Console.WriteLine($"| actor pipeline whitelist → regex → buffer → null backend | {total / pipeline.TotalSeconds:N0} /s |");
        return 0;
    }

    /// <summary>Probe-like traffic: 1024 distinct measurements (64 processes × 16 paths) cycling through the batches.</summary>
    private static MeasurementBatch[] Batches()
    {
        var distinct = new Measurement[1024];
        for (var i = 0; i < distinct.Length; i++)
        {
            distinct[i] = new Measurement(1, MeasurementKind.Counter | MeasurementKind.Histogram, "file.read", MeasurementValue.Bytes(100 + i % 7),
                Tags.Of(("process_id", (1000 + i).ToString()), ("process_str", i % 2 == 0 ? $"conn{i % 64}" : "bash"),
                    ("path_str", $"etc/file{i % 16}"), ("ino_id", (i * 31).ToString())));
        }
        var batches = new MeasurementBatch[64];
        for (var b = 0; b < batches.Length; b++)
        {
            var items = new Measurement[BatchSize];
            for (var i = 0; i < BatchSize; i++) items[i] = distinct[(b * BatchSize + i) % distinct.Length];
            batches[b] = new MeasurementBatch(items);
        }
        return batches;
    }

    private static StepSpec[] Steps() =>
    [
        Step("whitelist", new WhitelistStep(["process_str", "path_str"])),
        Step("regex", new RegexStep([new RegexRule("process_str", new Regex("conn(\\d+)", System.Text.RegularExpressions.RegexOptions.Compiled), "proxy_$1")])),
        new StepSpec("buffer", new BufferModule(), TopologyLoader.ParseSettings<BufferOptions>(new BufferModule(), "interval = 1h"),
            new MailboxSpec(64, EdgeOverflow.Backpressure), Restart, "buffer"),
    ];

    private static StepSpec Step(string name, IPipelineStep step) =>
        new(name, InlineModule.Step<NoOptions>(name, _ => null, (_, _) => step), NoOptions.Instance, new MailboxSpec(64, EdgeOverflow.Backpressure), Restart, name);

    private static async Task<TimeSpan> RawChannel(MeasurementBatch[] batches, int rounds)
    {
        var channel = Channel.CreateBounded<MeasurementBatch>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        var sw = Stopwatch.StartNew();
        var reader = Task.Run(async () =>
        {
            long n = 0;
            await foreach (var b in channel.Reader.ReadAllAsync()) n += b.Count;
            return n;
        });
        for (var i = 0; i < rounds; i++) await channel.Writer.WriteAsync(batches[i % batches.Length]);
        channel.Writer.Complete();
        await reader;
        return sw.Elapsed;
    }

    private static async Task<TimeSpan> RawChannelPerMeasurement(MeasurementBatch[] batches, int rounds)
    {
        var channel = Channel.CreateBounded<Measurement>(new BoundedChannelOptions(64 * BatchSize) { SingleReader = true, SingleWriter = true });
        var sw = Stopwatch.StartNew();
        var reader = Task.Run(async () =>
        {
            long n = 0;
            await foreach (var _ in channel.Reader.ReadAllAsync()) n++;
            return n;
        });
        for (var i = 0; i < rounds; i++)
        {
            foreach (var m in (Measurement[])batches[i % batches.Length].Items)
            {
                if (!channel.Writer.TryWrite(m)) await channel.Writer.WriteAsync(m);
            }
        }
        channel.Writer.Complete();
        await reader;
        return sw.Elapsed;
    }

    private static TimeSpan Inline(MeasurementBatch[] batches, int rounds)
    {
        var context = StepContext.Default();
        var steps = Steps().Select(s => s.Create(context)).ToArray();
        var sink = new CountingOutput();
        var third = new ChainOutput(steps[2], sink);
        var second = new ChainOutput(steps[1], third);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var m in batches[i % batches.Length].Items) steps[0].Process(m, second);
        }
        steps[2].Flush(sink);
        return sw.Elapsed;
    }

    private static readonly BackoffSpec Restart = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 0.2, TimeSpan.FromSeconds(30));

    /// <summary>The same steps as actors on Akka.NET: a probe emits the batches, the edges carry them (window/ack), a null backend counts them.</summary>
    private static async Task<TimeSpan> ActorPipeline(MeasurementBatch[] batches, int rounds)
    {
        using var system = Akka.Actor.ActorSystem.Create("bench", "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off");
        var writer = new NullWriter();
        var backend = new BackendSpec("null", InlineModule.Backend<NoOptions>("null", _ => null, (_, _) => writer), NoOptions.Instance,
            new MailboxSpec(64, EdgeOverflow.Backpressure), Restart, TimeSpan.FromHours(1), "null");
        var expected = 0L;
        for (var i = 0; i < rounds; i++) expected += batches[i % batches.Length].Count;
        var source = InlineModule.Probe<NoOptions>("bench-source", _ => null, (_, _) => new BatchSource(batches, rounds));
        var spec = new TopologySpec(
            new Dictionary<string, ProbeSpec> { ["source"] = new("source", source, NoOptions.Instance, ["bench"],
                new RestartSpec(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0, 0, TimeSpan.Zero), "source") },
            new Dictionary<string, PipelineSpec> { ["bench"] = new("bench", Steps(), backend) },
            new AgentSpec(TimeSpan.FromSeconds(30), false, TimeSpan.Zero));
        var sw = Stopwatch.StartNew();
        var topology = RunningTopology.Start(system, spec);
        // The buffer step holds its aggregates back, so count what left the regex step (the buffer's input).
        while (topology.Counters()["buffer"].Received < expected) await Task.Delay(1);
        var elapsed = sw.Elapsed;
        await topology.ShutdownAsync(TimeSpan.FromSeconds(30));
        return elapsed;
    }

    private sealed class BatchSource(MeasurementBatch[] batches, int rounds) : IProbe
    {
        public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            for (var i = 0; i < rounds && !cancellationToken.IsCancellationRequested; i++) sink.Emit(batches[i % batches.Length].Items);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class CountingOutput : IStepOutput
    {
        public long Count;

        public void Emit(Measurement measurement) => Count++;
    }

    private sealed class ChainOutput(IPipelineStep next, IStepOutput after) : IStepOutput
    {
        public void Emit(Measurement measurement) => next.Process(measurement, after);
    }

    private sealed class NullWriter : IBackendWriter
    {
        public BackendCounters Counters { get; } = new();

        public ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
        {
            Counters.AddSent(batch.Count);
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
