using Ingrain.Actors;
using Microsoft.Extensions.Logging;

namespace Ingrain.TestKit;

/// <summary>
/// Builds expectations on what the system reports while an action runs: logged errors and warnings
/// (<see cref="LogEvent"/>, which includes every supervised failure, logged with the child's path), dead
/// letters and unhandled messages. <c>await EventFilter.Exception&lt;BoomException&gt;().ExpectAsync(3, action)</c>.
/// </summary>
public sealed class EventFilterFactory(ActorSystem system)
{
    /// <summary>Log entries whose exception is a <typeparamref name="TException"/>.</summary>
    public EventFilter Exception<TException>(string? contains = null, string? source = null) where TException : Exception =>
        Log(e => e.Cause is TException && Matches(e, contains, source), $"exception {typeof(TException).Name}");

    public EventFilter Error(string? contains = null, string? source = null) =>
        Log(e => e.Level >= LogLevel.Error && Matches(e, contains, source), "error");

    public EventFilter Warning(string? contains = null, string? source = null) =>
        Log(e => e.Level == LogLevel.Warning && Matches(e, contains, source), "warning");

    public EventFilter DeadLetter<TMessage>(Predicate<TMessage>? isMessage = null) =>
        new(system, typeof(DeadLetter), e => e is DeadLetter { Message: TMessage m } && (isMessage?.Invoke(m) ?? true),
            $"dead letter {typeof(TMessage).Name}");

    public EventFilter Unhandled<TMessage>(Predicate<TMessage>? isMessage = null) =>
        new(system, typeof(UnhandledMessage), e => e is UnhandledMessage { Message: TMessage m } && (isMessage?.Invoke(m) ?? true),
            $"unhandled {typeof(TMessage).Name}");

    private EventFilter Log(Func<LogEvent, bool> match, string what) =>
        new(system, typeof(LogEvent), e => e is LogEvent log && match(log), what);

    private static bool Matches(LogEvent e, string? contains, string? source) =>
        (contains is null || e.Message.Contains(contains, StringComparison.Ordinal) ||
         (e.Cause?.Message.Contains(contains, StringComparison.Ordinal) ?? false)) &&
        (source is null || e.Source == source);
}

/// <summary>Counts matching events from the moment the action starts; see <see cref="EventFilterFactory"/>.</summary>
public sealed class EventFilter
{
    private readonly ActorSystem _system;
    private readonly Type _channel;
    private readonly Func<object, bool> _match;
    private readonly string _what;

    internal EventFilter(ActorSystem system, Type channel, Func<object, bool> match, string what)
    {
        _system = system;
        _channel = channel;
        _match = match;
        _what = what;
    }

    public Task ExpectOneAsync(Func<Task> action, TimeSpan? max = null) => ExpectAsync(1, action, max);

    /// <summary>Runs <paramref name="action"/>, then waits until exactly <paramref name="count"/> matching events
    /// have been seen; fails on fewer (after the timeout) or more.</summary>
    public async Task ExpectAsync(int count, Func<Task> action, TimeSpan? max = null)
    {
        var counter = new Counter(_match);
        var listener = _system.SystemActorOf(Props.Create(() => new EventListener(counter)));
        _system.EventStream.Subscribe(listener, _channel);
        try
        {
            await action().ConfigureAwait(false);
            var wait = TestKitSettings.Dilated(max ?? TestKitSettings.SingleExpectDefault);
            var deadline = DateTime.UtcNow + wait;
            while (counter.Count < count && DateTime.UtcNow < deadline) await Task.Delay(10).ConfigureAwait(false);
            if (counter.Count != count)
                throw new Xunit.Sdk.XunitException(
                    $"Failed: expected {count} {_what} event(s) but saw {counter.Count} within {wait.TotalMilliseconds:0} ms");
        }
        finally
        {
            _system.EventStream.Unsubscribe(listener);
            _system.Stop(listener);
        }
    }

    public void ExpectOne(Action action) => Expect(1, action);

    public void Expect(int count, Action action) => ExpectAsync(count, () =>
    {
        action();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    private sealed class Counter(Func<object, bool> match)
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Offer(object e)
        {
            if (match(e)) Interlocked.Increment(ref _count);
        }
    }

    private sealed class EventListener(Counter counter) : ActorBase
    {
        protected override bool Receive(object message)
        {
            counter.Offer(message);
            return true;
        }
    }
}
