using System.Diagnostics;
using System.Threading.Channels;
using Ingrain.Actors;
using Xunit.Sdk;

namespace Ingrain.TestKit;

/// <summary>
/// The Expect/Receive/Within/Await API shared by <see cref="ActorTestKit"/> (for its <see cref="TestActor"/>) and by
/// <see cref="TestProbe"/>. Async-first; each sync method is its async twin plus GetAwaiter().GetResult().
/// Waits use wall-clock time, bounded by the innermost <see cref="WithinAsync(TimeSpan, Func{Task})"/> block or by
/// the dilated default of 3 s. Split by concern: _Expect, _Receive, _Within, _Await.
/// </summary>
public abstract partial class TestKitBase
{
    private readonly Channel<ReceivedMessage> _queue = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private static long s_testActors;

    protected TestKitBase(ActorSystem system, string? name = null)
    {
        Sys = system ?? throw new ArgumentNullException(nameof(system));
        TestActor = system.SystemActorOf(Props.Create(() => new TestActor(_queue.Writer)),
            name ?? $"testActor{Interlocked.Increment(ref s_testActors)}");
    }

    public ActorSystem Sys { get; }

    /// <summary>The actor whose received messages the Expect methods inspect. Use it as the sender of your Tells.</summary>
    public IActorRef TestActor { get; }

    /// <summary>Sender of the last message taken by an Expect/Receive method.</summary>
    public IActorRef? LastSender { get; private set; }

    public object? LastMessage { get; private set; }

    /// <summary>Messages received and not yet taken.</summary>
    public int QueuedMessageCount => _queue.Reader.Count;

    /// <summary>Makes <see cref="TestActor"/> watch <paramref name="actor"/>, for <see cref="ExpectTerminatedAsync"/>.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        TestActor.Tell(new TestActor.WatchCommand(actor), null);
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        TestActor.Tell(new TestActor.UnwatchCommand(actor), null);
        return actor;
    }

    public static TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    private TimeSpan Now => _clock.Elapsed;

    /// <summary>Takes the next message, or null when none arrives within <paramref name="max"/>.</summary>
    protected async Task<ReceivedMessage?> TryReceiveOneAsync(TimeSpan max, CancellationToken cancellationToken = default)
    {
        if (_queue.Reader.TryRead(out var ready)) return Took(ready);
        if (max <= TimeSpan.Zero) return null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (max != Timeout.InfiniteTimeSpan) cts.CancelAfter(max);
        try
        {
            return Took(await _queue.Reader.ReadAsync(cts.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private ReceivedMessage Took(ReceivedMessage received)
    {
        LastSender = received.Sender;
        LastMessage = received.Message;
        return received;
    }

    internal static XunitException Fail(string message) => new($"Failed: {message}");

    private static string Describe(object message) => $"{message} (type {message.GetType().Name})";

    private static string HintText(string? hint) => string.IsNullOrEmpty(hint) ? "" : $" [{hint}]";
}
