namespace Ingrain.Actors;

/// <summary>
/// System-wide publish/subscribe by type: <see cref="DeadLetter"/>, <see cref="UnhandledMessage"/>,
/// <see cref="LogEvent"/>, or any type of your own. A subscriber to a type receives its subtypes too.
/// Subscriptions are not removed when the subscriber stops; unsubscribe in PostStop.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private (Type Channel, IActorRef Subscriber)[] _subscriptions = [];

    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            if (_subscriptions.Contains((channel, subscriber))) return false;
            _subscriptions = [.. _subscriptions, (channel, subscriber)];
            return true;
        }
    }

    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_lock)
        {
            var remaining = _subscriptions.Where(s => s != (channel, subscriber)).ToArray();
            var removed = remaining.Length != _subscriptions.Length;
            _subscriptions = remaining;
            return removed;
        }
    }

    public void Unsubscribe(IActorRef subscriber)
    {
        lock (_lock) _subscriptions = _subscriptions.Where(s => !ReferenceEquals(s.Subscriber, subscriber)).ToArray();
    }

    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        foreach (var (channel, subscriber) in Volatile.Read(ref _subscriptions))
            if (channel.IsAssignableFrom(type)) subscriber.Tell(@event, null);
    }

    /// <summary>Lets publishers skip building events nobody listens to.</summary>
    internal bool HasSubscribers(Type eventType)
    {
        foreach (var (channel, _) in Volatile.Read(ref _subscriptions))
            if (channel.IsAssignableFrom(eventType)) return true;
        return false;
    }
}
