using System.Runtime.CompilerServices;

namespace Ingrain.Actors;

/// <summary>One behaviour of a <see cref="ReceiveActor"/>: its handlers in registration order.</summary>
internal sealed class MessageHandlers
{
    private MessageHandler[] _handlers = [];

    public void Add(MessageHandler handler) => _handlers = [.. _handlers, handler];

    public bool TryHandle(object message)
    {
        foreach (var handler in _handlers)
            if (handler.TryHandle(message)) return true;
        return false;
    }
}

internal abstract class MessageHandler
{
    public abstract bool TryHandle(object message);
}

internal sealed class SyncHandler<T>(Predicate<T>? shouldHandle, Action<T> handler) : MessageHandler
{
    private readonly Action<T> _handler = RejectAsyncVoid(handler ?? throw new ArgumentNullException(nameof(handler)));

    // An async lambda given to Receive<T> compiles to async void: it would not hold the mailbox and its exceptions
    // would escape supervision. Refuse it where it is registered.
    private static Action<T> RejectAsyncVoid(Action<T> handler) =>
        handler.Method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false)
            ? throw new IllegalActorStateException(
                $"The handler for {typeof(T).Name} is an async lambda (async void): register it with ReceiveAsync<{typeof(T).Name}> instead.")
            : handler;

    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
        _handler(typed);
        return true;
    }
}

internal sealed class AsyncHandler<T>(Predicate<T>? shouldHandle, Func<T, Task> handler, ActorBase actor) : MessageHandler
{
    private readonly Func<T, Task> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
        actor.HoldMailboxUntil(_handler(typed));
        return true;
    }
}
