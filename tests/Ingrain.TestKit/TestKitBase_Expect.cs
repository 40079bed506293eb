using Ingrain.Actors;

namespace Ingrain.TestKit;

public abstract partial class TestKitBase
{
    /// <summary>Expects the next message to be a <typeparamref name="T"/>; returns it.</summary>
    public async Task<T> ExpectMsgAsync<T>(TimeSpan? max = null, string? hint = null)
    {
        var received = await ExpectAnyAsync(typeof(T).Name, max, hint).ConfigureAwait(false);
        return received.Message is T typed
            ? typed
            : throw Fail($"Expected a message of type {typeof(T).Name}, but received {Describe(received.Message)} instead{HintText(hint)} from {received.Sender}");
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? max = null, string? hint = null)
    {
        var received = await ExpectAnyAsync($"{expected}", max, hint).ConfigureAwait(false);
        return received.Message is T typed && EqualityComparer<T>.Default.Equals(typed, expected)
            ? typed
            : throw Fail($"Expected {Describe(expected!)}, but received {Describe(received.Message)} instead{HintText(hint)} from {received.Sender}");
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> that satisfies <paramref name="isMessage"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null)
    {
        var typed = await ExpectMsgAsync<T>(max, hint).ConfigureAwait(false);
        return isMessage(typed)
            ? typed
            : throw Fail($"The message {Describe(typed!)} from {LastSender} did not match the predicate{HintText(hint)}");
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> and runs assertions on it.</summary>
    public async Task<T> ExpectMsgAsync<T>(Action<T> assert, TimeSpan? max = null, string? hint = null)
    {
        var typed = await ExpectMsgAsync<T>(max, hint).ConfigureAwait(false);
        assert(typed);
        return typed;
    }

    /// <summary>Expects no message during <paramref name="duration"/> (dilated).</summary>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        var wait = Dilated(duration);
        var start = Now;
        var received = await TryReceiveOneAsync(wait).ConfigureAwait(false);
        if (received is not null)
            throw Fail($"Expected no messages during {wait.TotalMilliseconds:0} ms, instead we received {Describe(received.Message)} from {received.Sender} after {(Now - start).TotalMilliseconds:0} ms");
        _lastWasNoMsg = true;
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="target"/>, which must be watched (<see cref="Watch"/>).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? max = null) =>
        ExpectMsgAsync<Terminated>(t => ReferenceEquals(t.ActorRef, target), max, $"Terminated of {target.Path}");

    /// <summary>Expects <paramref name="count"/> messages (of any type), all within <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? max = null)
    {
        var deadline = Now + RemainingOrDilated(max);
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var received = await TryReceiveOneAsync(deadline - Now).ConfigureAwait(false)
                ?? throw Fail($"Timeout while waiting for {count} messages: received only {messages.Count} [{string.Join(", ", messages)}]");
            messages.Add(received.Message);
        }
        _lastWasNoMsg = false;
        return messages;
    }

    /// <summary>Skips messages until one is a <typeparamref name="T"/> matching <paramref name="isMessage"/>; returns it.</summary>
    public async Task<T> FishForMessageAsync<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null)
    {
        var wait = RemainingOrDilated(max);
        var deadline = Now + wait;
        var skipped = new List<object>();
        while (true)
        {
            var received = await TryReceiveOneAsync(deadline - Now).ConfigureAwait(false)
                ?? throw Fail($"Timeout ({wait.TotalMilliseconds:0} ms) while fishing for a message of type {typeof(T).Name}{HintText(hint)}; skipped [{string.Join(", ", skipped)}]");
            if (received.Message is T typed && isMessage(typed))
            {
                _lastWasNoMsg = false;
                return typed;
            }
            skipped.Add(received.Message);
        }
    }

    /// <summary>Expects the given messages in any order (each matched by equality); returns them in arrival order.</summary>
    public async Task<IReadOnlyList<T>> ExpectMsgAllOfAsync<T>(IReadOnlyCollection<T> expected, TimeSpan? max = null)
    {
        var deadline = Now + RemainingOrDilated(max);
        var missing = expected.ToList();
        var received = new List<T>();
        while (missing.Count > 0)
        {
            var next = await TryReceiveOneAsync(deadline - Now).ConfigureAwait(false)
                ?? throw Fail($"Timeout while expecting all of [{string.Join(", ", expected)}]; still missing [{string.Join(", ", missing)}]");
            if (next.Message is not T typed || !missing.Remove(typed))
                throw Fail($"Expected one of [{string.Join(", ", missing)}], but received {Describe(next.Message)} from {next.Sender}");
            received.Add(typed);
        }
        _lastWasNoMsg = false;
        return received;
    }

    private async Task<ReceivedMessage> ExpectAnyAsync(string what, TimeSpan? max, string? hint)
    {
        var wait = RemainingOrDilated(max);
        var received = await TryReceiveOneAsync(wait).ConfigureAwait(false)
            ?? throw Fail($"Timeout ({wait.TotalMilliseconds:0} ms) while waiting for a message of {what}{HintText(hint)}");
        _lastWasNoMsg = false;
        return received;
    }

    // Sync twins.
    public T ExpectMsg<T>(TimeSpan? max = null, string? hint = null) => ExpectMsgAsync<T>(max, hint).GetAwaiter().GetResult();

    public T ExpectMsg<T>(T expected, TimeSpan? max = null, string? hint = null) =>
        ExpectMsgAsync(expected, max, hint).GetAwaiter().GetResult();

    public T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null) =>
        ExpectMsgAsync(isMessage, max, hint).GetAwaiter().GetResult();

    public T ExpectMsg<T>(Action<T> assert, TimeSpan? max = null, string? hint = null) =>
        ExpectMsgAsync(assert, max, hint).GetAwaiter().GetResult();

    public void ExpectNoMsg(TimeSpan duration) => ExpectNoMsgAsync(duration).GetAwaiter().GetResult();

    public Terminated ExpectTerminated(IActorRef target, TimeSpan? max = null) =>
        ExpectTerminatedAsync(target, max).GetAwaiter().GetResult();

    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null) => ReceiveNAsync(count, max).GetAwaiter().GetResult();

    public T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null) =>
        FishForMessageAsync(isMessage, max, hint).GetAwaiter().GetResult();
}
