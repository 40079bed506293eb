using System.Collections.Concurrent;
using System.Threading.Channels;
using Ingrain.Actors.Pipeline;

namespace Ingrain.Actors.Tests.Topology;

/// <summary>
/// Mock components for topology tests (Vector's test_util/mock): a probe the test feeds by hand, a backend that
/// collects, a step that throws on demand, a step whose constructor fails a given number of times, a probe that fails to start a given number of times, a probe whose read loop always fails,
/// a step that is slow on measurements named <c>slow</c>,
/// a step and a backend whose flush throws, a probe that still emits a while after it was stopped. Each test builds its
/// own registry around its own instances, so nothing is shared between tests.
/// </summary>
internal sealed class TestComponents
{
    public Channel<Measurement> Feed { get; } = Channel.CreateUnbounded<Measurement>();

    /// <summary>What each <c>collect</c> backend (by its <c>name</c> key) received, in order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<Measurement>> Collected { get; } = new();

    /// <summary>How often a <c>flaky</c> probe still fails to start.</summary>
    public int FlakyStartsLeft;

    public int FlakyStarts;

    /// <summary>How often a <c>flaky-collect</c> backend still fails to open, and how often one was opened.</summary>
    public int BackendOpenFailuresLeft;

    public int BackendOpens;

    /// <summary>How often a <c>fragile</c> step's constructor still throws, and how often one was constructed.</summary>
    public int StepCreateFailuresLeft;

    public int StepCreates;

    /// <summary>What every <c>tap</c> probe instance sees, as every kernel probe instance sees the same events.</summary>
    public TapSource Taps { get; } = new();

    /// <summary>The <c>label</c> each <c>tunable</c> probe instance was created with, in order.</summary>
    public ConcurrentQueue<string> TunableCreated { get; } = new();

    /// <summary>How often a <c>failing</c> probe's read loop has run (and failed).</summary>
    public int FailingRuns;

    /// <summary>How many <c>lingering</c> probes have started running.</summary>
    public int LingeringRuns;

    public IReadOnlyList<Measurement> Of(string backend) => Collected.GetOrAdd(backend, _ => new()).ToArray();

    public ModuleRegistry Registry()
    {
        var registry = Builtins.CreateRegistry();
        registry.Register(InlineModule.Probe("scripted", _ => NoOptions.Instance, (_, _) => new ScriptedProbe(Feed.Reader)));
        registry.Register(InlineModule.Probe("flaky", _ => NoOptions.Instance, (_, _) =>
        {
            Interlocked.Increment(ref FlakyStarts);
            if (Interlocked.Decrement(ref FlakyStartsLeft) >= 0) throw new InvalidOperationException("attach failed (test)");
            return new ScriptedProbe(Feed.Reader);
        }));
        registry.Register(InlineModule.Probe("lossy", _ => NoOptions.Instance, (_, c) =>
        {
            // A probe whose kernel ring overflowed: what it lost and skipped is in its counters.
            c.Counters.AddKernelLost(7);
            c.Counters.AddMalformed(2);
            return new ScriptedProbe(Feed.Reader);
        }));
        registry.Register(InlineModule.Probe("failing", _ => NoOptions.Instance, (_, _) => new FailingProbe(() => Interlocked.Increment(ref FailingRuns))));
        registry.Register(InlineModule.Probe("tap", s => s.String("label", required: true), (label, _) => new TapProbe(Taps, label!), sideBySide: true));
        registry.Register(InlineModule.Probe("tunable", s => s.String("label", required: true), (label, _) =>
        {
            TunableCreated.Enqueue(label!);
            return new TunableProbe(Feed.Reader, label!);
        }));
        registry.Register(InlineModule.Probe("lingering", s => new LingerOptions(Optional(s, "linger")), (o, _) => new LingeringProbe(o.Linger, () => Interlocked.Increment(ref LingeringRuns))));
        registry.Register(InlineModule.Backend("collect", s => new CollectOptions(s.String("name", required: true)!, Optional(s, "delay")),
            (o, _) => new CollectingWriter(Collected.GetOrAdd(o.Name, _ => new()), o.Delay)));
        registry.Register(InlineModule.Backend("flaky-collect", s => s.String("name", required: true), (name, _) =>
        {
            Interlocked.Increment(ref BackendOpens);
            if (Interlocked.Decrement(ref BackendOpenFailuresLeft) >= 0) throw new IOException("cannot open (test)");
            return new CollectingWriter(Collected.GetOrAdd(name!, _ => new()), TimeSpan.Zero);
        }));
        registry.Register(InlineModule.Step("explode", _ => NoOptions.Instance, (_, _) => new ExplodingStep()));
        registry.Register(InlineModule.Step("fragile", _ => NoOptions.Instance, (_, _) =>
        {
            Interlocked.Increment(ref StepCreates);
            if (Interlocked.Decrement(ref StepCreateFailuresLeft) >= 0) throw new InvalidOperationException("cannot build the step (test)");
            return new ExplodingStep();
        }));
        registry.Register(InlineModule.Backend("flush-failing-collect", s => s.String("name", required: true), (name, _) =>
            new CollectingWriter(Collected.GetOrAdd(name!, _ => new()), TimeSpan.Zero, failFlush: true)));
        registry.Register(InlineModule.Step("flush-failing", _ => NoOptions.Instance, (_, _) => new FlushFailingStep()));
        registry.Register(InlineModule.Step("pause", s => new PauseOptions(Optional(s, "per-measurement")), (o, _) => new PausingStep(o.PerMeasurement)));
        return registry;
    }

    // Test-only types have no block in reference.hocon, so their optional keys default here.
    private static TimeSpan Optional(ConfigSection s, string key) => s.Has(key) ? s.Duration(key) : TimeSpan.Zero;

    public static Measurement Counter(string name, params (string, string)[] tags) =>
        new(Measurement.NowNanos(), MeasurementKind.Counter, name, MeasurementValue.Count(1), Tags.Of(tags));

    private sealed class ScriptedProbe(ChannelReader<Measurement> feed) : IProbe
    {
        public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var m in feed.ReadAllAsync(cancellationToken)) sink.Emit(m);
            }
            catch (OperationCanceledException)
            {
            }
            // Stopped: hand over what the "ring" still holds, as a kernel probe's reader does before it detaches.
            while (feed.TryRead(out var left)) sink.Emit(left);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Numbered events every attached <c>tap</c> probe sees (a stand-in for what the kernel shows every attached program).</summary>
    public sealed class TapSource
    {
        private readonly Lock _gate = new();
        private readonly List<ChannelWriter<int>> _taps = [];

        public void Publish(int n)
        {
            lock (_gate)
            {
                foreach (var tap in _taps) tap.TryWrite(n);
            }
        }

        public void Attach(ChannelWriter<int> tap)
        {
            lock (_gate) _taps.Add(tap);
        }

        public void Detach(ChannelWriter<int> tap)
        {
            lock (_gate) _taps.Remove(tap);
        }
    }

    /// <summary>
    /// Sees the <see cref="TapSource"/>'s events from its creation (attach) to its disposal (detach), buffering them
    /// like a ring buffer until its read loop runs, and emits each as <c>e&lt;n&gt;</c> tagged with its <c>label</c>.
    /// </summary>
    private sealed class TapProbe : IProbe
    {
        private readonly TapSource _source;
        private readonly string _label;
        private readonly Channel<int> _ring = Channel.CreateUnbounded<int>();

        public TapProbe(TapSource source, string label)
        {
            _source = source;
            _label = label;
            source.Attach(_ring.Writer);
        }

        public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var n in _ring.Reader.ReadAllAsync(cancellationToken)) sink.Emit(Counter($"e{n}", ("label", _label)));
            }
            catch (OperationCanceledException)
            {
            }
            while (_ring.Reader.TryRead(out var left)) sink.Emit(Counter($"e{left}", ("label", _label)));
        }

        public ValueTask DisposeAsync()
        {
            _source.Detach(_ring.Writer);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Emits what the feed gives, tagged with its <c>label</c>, which it takes new in place (a probe like files, whose
    /// monitored set changes without detaching); a measurement named <c>fail</c> makes its read loop fail.
    /// </summary>
    private sealed class TunableProbe(ChannelReader<Measurement> feed, string label) : IReconfigurableProbe
    {
        private volatile string _label = label;

        public bool TryReconfigure(object options)
        {
            _label = (string)options;
            return true;
        }

        public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var m in feed.ReadAllAsync(cancellationToken))
                {
                    if (m.Name == "fail") throw new IOException("the ring broke (test)");
                    sink.Emit(m.WithTags(Tags.Of(("label", _label))));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Attaches, then its read loop fails at once, every time (a probe whose kernel side keeps breaking).</summary>
    private sealed class FailingProbe(Action ran) : IProbe
    {
        public Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            ran();
            return Task.FromException(new IOException("ring buffer broke (test)"));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Emits 10 measurements <c>linger</c> after it was told to stop (a probe reading what its ring still holds).</summary>
    private sealed class LingeringProbe(TimeSpan linger, Action started) : IProbe
    {
        public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
        {
            started();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            await Task.Delay(linger, CancellationToken.None);
            for (var i = 0; i < 10; i++) sink.Emit(Counter("late"));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed record LingerOptions(TimeSpan Linger);

    private sealed record CollectOptions(string Name, TimeSpan Delay);

    /// <summary>Collects every measurement, optionally taking <c>delay</c> per batch (a slow destination).</summary>
    private sealed class CollectingWriter(ConcurrentQueue<Measurement> into, TimeSpan delay, bool failFlush = false) : IBackendWriter
    {
        public BackendCounters Counters { get; } = new();

        public async ValueTask WriteAsync(IReadOnlyList<Measurement> batch, CancellationToken cancellationToken)
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken);
            foreach (var m in batch) into.Enqueue(m);
            Counters.AddSent(batch.Count);
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) =>
            failFlush ? ValueTask.FromException(new IOException("flush failed (test)")) : ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed record PauseOptions(TimeSpan PerMeasurement);

    /// <summary>Takes <c>per-measurement</c> for each measurement named <c>slow</c> (a slow step, to hold a drain back); passes all.</summary>
    private sealed class PausingStep(TimeSpan perMeasurement) : IPipelineStep
    {
        public TimeSpan? FlushInterval => null;

        public void Process(Measurement measurement, IStepOutput output)
        {
            if (measurement.Name == "slow") Thread.Sleep(perMeasurement);
            output.Emit(measurement);
        }

        public void Flush(IStepOutput output) { }
    }

    /// <summary>Throws for measurements tagged <c>explode</c>; passes the others.</summary>
    private sealed class ExplodingStep : IPipelineStep
    {
        public TimeSpan? FlushInterval => null;

        public void Process(Measurement measurement, IStepOutput output)
        {
            if (measurement.Tags.ContainsKey("explode")) throw new InvalidOperationException("boom (test)");
            output.Emit(measurement);
        }

        public void Flush(IStepOutput output) { }
    }

    /// <summary>Passes every measurement; its flush throws (a step failing while a drain flushes it).</summary>
    private sealed class FlushFailingStep : IPipelineStep
    {
        public TimeSpan? FlushInterval => null;

        public void Process(Measurement measurement, IStepOutput output) => output.Emit(measurement);

        public void Flush(IStepOutput output) => throw new InvalidOperationException("flush failed (test)");
    }
}
