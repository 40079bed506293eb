using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

/// <summary>Set messages aside and take them back later, e.g. while an actor waits for its resources.</summary>
public interface IStash
{
    /// <summary>Stashes the message being handled (with its sender).</summary>
    /// <exception cref="IllegalActorStateException">the same message is stashed twice.</exception>
    /// <exception cref="StashOverflowException">the stash capacity (Props.WithStashCapacity) is reached.</exception>
    void Stash();

    /// <summary>Puts every stashed message back at the front of the mailbox, in the order they were stashed.</summary>
    void UnstashAll();

    int Count { get; }
}

/// <summary>
/// Lives in the cell. On restart the stash is put back at the front of the mailbox before the old instance goes
/// (as Akka does); on stop, stashed messages go to dead letters.
/// </summary>
internal sealed class StashBuffer(ActorCell cell, int? capacity) : IStash
{
    private readonly List<Envelope> _stashed = [];
    private long _lastStashedInvocation = -1;

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope;
        if (current.Message is null) throw new IllegalActorStateException("Stash() may only be called while handling a message.");
        if (cell.InvocationNumber == _lastStashedInvocation)
            throw new IllegalActorStateException($"Can't stash the same message {current.Message} twice.");
        if (capacity is { } max && _stashed.Count >= max)
            throw new StashOverflowException($"Couldn't stash {current.Message}: the stash of {cell.Path} is full ({max}).");
        _stashed.Add(current);
        _lastStashedInvocation = cell.InvocationNumber;
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0) return;
        cell.Mailbox.Unstash(_stashed);
        _stashed.Clear();
    }

    public void DrainToDeadLetters()
    {
        foreach (var envelope in _stashed) cell.DeadLetter(envelope);
        _stashed.Clear();
    }
}
