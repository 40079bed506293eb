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
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

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
