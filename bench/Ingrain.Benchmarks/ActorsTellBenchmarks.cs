using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Ingrain.Actors;
using Ingrain.Actors.Dispatch;

namespace Ingrain.Benchmarks;

/// <summary>
/// One-way Tell between two actors against a raw <see cref="Channel{T}"/> moving the same item type, one producer
/// and one consumer each. Per operation = per message (OperationsPerInvoke), so "Mean" is ns per message and
/// "Allocated" is bytes per message. The item is a single preallocated object: anything allocated is the
/// transport's. Run: <c>make bench ARGS="--filter *ActorsTell*"</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class ActorsTellBenchmarks
{
    private const int Messages = 2_000_000;
    private const int BoundedCapacity = 1024;

    private static readonly Item TheItem = new(42);

    private ActorSystem _system = null!;
    private Sink _sink = null!;
    private IActorRef _unboundedProducer = null!;
    private IActorRef _boundedProducer = null!;

    public sealed record Item(int Value);

    private sealed record Go(int Count);

    /// <summary>Counts arrivals; completes the round when all have arrived.</summary>
    private sealed class Sink
    {
        private int _remaining;
        private TaskCompletionSource _done = new();

        public Task Arm(int count)
        {
            _remaining = count;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _done.Task;
        }

        public void Arrived()
        {
            if (--_remaining == 0) _done.TrySetResult();
        }
    }

    private sealed class Consumer(Sink sink) : ActorBase
    {
        protected override bool Receive(object message)
        {
            sink.Arrived();
            return true;
        }
    }

    /// <summary>Sends the item Count times. Bounded targets get TellAsync so the producer awaits instead of blocking.</summary>
    private sealed class Producer : ActorBase
    {
        private readonly IActorRef _target;
        private readonly bool _awaitSpace;

        public Producer(IActorRef target, bool awaitSpace)
        {
            _target = target;
            _awaitSpace = awaitSpace;
        }

        protected override bool Receive(object message)
        {
            if (message is not Go go) return false;
            if (_awaitSpace) RunTask(() => SendLoopAsync(go.Count).AsTask());
            else
                for (var i = 0; i < go.Count; i++) _target.Tell(TheItem, Self);
            return true;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask SendLoopAsync(int count)
        {
            for (var i = 0; i < count; i++) await _target.TellAsync(TheItem, Self);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _sink = new Sink();
        var unboundedConsumer = _system.ActorOf(Props.Create(() => new Consumer(_sink)), "consumer-unbounded");
        var boundedConsumer = _system.ActorOf(Props.Create(() => new Consumer(_sink))
            .WithMailbox(MailboxOptions.Bounded(BoundedCapacity, OverflowPolicy.Backpressure)), "consumer-bounded");
        _unboundedProducer = _system.ActorOf(Props.Create(() => new Producer(unboundedConsumer, false)), "producer-unbounded");
        _boundedProducer = _system.ActorOf(Props.Create(() => new Producer(boundedConsumer, true)), "producer-bounded");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "Channel<Item> unbounded")]
    public Task RawChannelUnbounded() => RunChannel(Channel.CreateUnbounded<Item>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = true,
    }));

    [Benchmark(OperationsPerInvoke = Messages, Description = "Channel<Item> bounded(1024, Wait)")]
    public Task RawChannelBounded() => RunChannel(Channel.CreateBounded<Item>(new BoundedChannelOptions(BoundedCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    }));

    [Benchmark(OperationsPerInvoke = Messages, Description = "Actor Tell, unbounded mailbox")]
    public Task ActorTellUnbounded()
    {
        var done = _sink.Arm(Messages);
        _unboundedProducer.Tell(new Go(Messages), null);
        return done;
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "Actor TellAsync, bounded(1024, Backpressure)")]
    public Task ActorTellBounded()
    {
        var done = _sink.Arm(Messages);
        _boundedProducer.Tell(new Go(Messages), null);
        return done;
    }

    private static async Task RunChannel(Channel<Item> channel)
    {
        var consumer = Task.Run(async () =>
        {
            var reader = channel.Reader;
            var received = 0;
            while (received < Messages && await reader.WaitToReadAsync().ConfigureAwait(false))
                while (received < Messages && reader.TryRead(out _)) received++;
        });
        var producer = Task.Run(async () =>
        {
            var writer = channel.Writer;
            for (var i = 0; i < Messages; i++)
                if (!writer.TryWrite(TheItem)) await writer.WriteAsync(TheItem).ConfigureAwait(false);
        });
        await Task.WhenAll(producer, consumer).ConfigureAwait(false);
    }
}
