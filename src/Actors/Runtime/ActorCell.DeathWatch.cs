using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

/// <summary>A watched actor's death, queued as a user message; dropped if the watcher unwatches before handling it.</summary>
internal sealed record WatchedActorTerminated(IActorRef Actor, object Message);

internal sealed partial class ActorCell
{
    private readonly Dictionary<InternalActorRef, object?> _watching = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<InternalActorRef> _watchedBy = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<IActorRef> _terminatedQueued = new(ReferenceEqualityComparer.Instance);

    public IActorRef Watch(IActorRef subject) => WatchCore(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message) =>
        WatchCore(subject, message ?? throw new ArgumentNullException(nameof(message)));

    private IActorRef WatchCore(IActorRef subject, object? message)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is not InternalActorRef target || ReferenceEquals(target, SelfRef)) return subject; // self: no-op
        var alreadyWatching = _watching.ContainsKey(target);
        _watching[target] = message;
        if (!alreadyWatching) target.SendSystemMessage(new Watch(target, SelfRef));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject is InternalActorRef target && _watching.Remove(target))
            target.SendSystemMessage(new Unwatch(target, SelfRef));
        _terminatedQueued.Remove(subject);
        return subject;
    }

    private void UnwatchAll()
    {
        foreach (var target in _watching.Keys) target.SendSystemMessage(new Unwatch(target, SelfRef));
        _watching.Clear();
        _terminatedQueued.Clear();
    }

    private void AddWatcher(IActorRef watchee, IActorRef watcher)
    {
        if (!ReferenceEquals(watchee, SelfRef) || ReferenceEquals(watcher, SelfRef)) return;
        if (watcher is InternalActorRef w) _watchedBy.Add(w);
    }

    private void RemoveWatcher(IActorRef watchee, IActorRef watcher)
    {
        if (ReferenceEquals(watchee, SelfRef) && watcher is InternalActorRef w) _watchedBy.Remove(w);
    }

    private void WatchedActorTerminated(IActorRef actor)
    {
        if (actor is InternalActorRef target && _watching.Remove(target, out var custom) && !_terminating)
        {
            _terminatedQueued.Add(actor);
            Mailbox.PostInternal(new WatchedActorTerminated(actor, custom ?? new Terminated(actor)), actor);
        }
        HandleChildTerminated(actor);
    }
}
