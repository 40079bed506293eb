namespace Ingrain.Actors;

/// <summary>
/// An actor configured with typed handlers, as in Akka: register them in the constructor or inside
/// <see cref="Become"/>; the first handler that matches wins; a message no handler matches is unhandled.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly Stack<MessageHandlers> _behaviours = new();
    private MessageHandlers? _configuring = new();

    protected void Receive<T>(Action<T> handler) => Add(new SyncHandler<T>(null, handler));

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) =>
        Add(new SyncHandler<T>(shouldHandle ?? throw new ArgumentNullException(nameof(shouldHandle)), handler));

    /// <summary>An async handler. It is awaited while holding the mailbox, so handlers never interleave.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler) => Add(new AsyncHandler<T>(null, handler, this));

    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) =>
        Add(new AsyncHandler<T>(shouldHandle ?? throw new ArgumentNullException(nameof(shouldHandle)), handler, this));

    /// <summary>Matches every message; register it last.</summary>
    protected void ReceiveAny(Action<object> handler) => Add(new SyncHandler<object>(null, handler));

    /// <summary>Replaces the current behaviour with the handlers registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure)
    {
        var handlers = Configure(configure);
        if (_behaviours.Count > 0) _behaviours.Pop();
        _behaviours.Push(handlers);
    }

    /// <summary>Pushes a behaviour; <see cref="Unbecome"/> returns to the previous one.</summary>
    protected void BecomeStacked(Action configure) => _behaviours.Push(Configure(configure));

    /// <summary>Pops the behaviour pushed by <see cref="BecomeStacked"/>; the constructor's behaviour is never popped.</summary>
    protected void Unbecome()
    {
        if (_behaviours.Count > 1) _behaviours.Pop();
    }

    protected sealed override bool Receive(object message) => _behaviours.Peek().TryHandle(message);

    internal override void AfterConstruction()
    {
        _behaviours.Push(_configuring!);
        _configuring = null;
    }

    private MessageHandlers Configure(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        if (_configuring is not null)
            throw new IllegalActorStateException("Become cannot be called from the constructor or inside another Become.");
        _configuring = new MessageHandlers();
        try
        {
            configure();
            return _configuring;
        }
        finally
        {
            _configuring = null;
        }
    }

    private void Add(MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_configuring is null)
            throw new IllegalActorStateException(
                $"{GetType().Name}: handlers may only be registered in the constructor or inside Become.");
        _configuring.Add(handler);
    }
}
