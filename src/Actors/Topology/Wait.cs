using Akka.Actor;

namespace Ingrain.Actors.Topology;

/// <summary>
/// One step of a topology operation: the answers it waits for, by key (a pipeline or probe name, an actor path),
/// and how long at most. <see cref="TopologyActor"/> feeds it the messages it receives; the operation goes on when
/// every key answered or the time is up.
/// </summary>
internal sealed class Wait(string what, IEnumerable<string> keys, TimeSpan timeout, Func<IActorRef, object, string?> match)
{
    private static long _ids;

    public long Id { get; } = Interlocked.Increment(ref _ids);

    public string What => what;

    public HashSet<string> Pending { get; } = [.. keys];

    public Dictionary<string, object> Answers { get; } = [];

    public TimeSpan Timeout => timeout;

    public bool TimedOut { get; set; }

    /// <summary>Records <paramref name="message"/> when it answers a pending key; true when it did.</summary>
    public bool Offer(IActorRef sender, object message)
    {
        if (match(sender, message) is not { } key || !Pending.Remove(key)) return false;
        Answers[key] = message;
        return true;
    }
}

internal sealed record WaitTimedOut(long Id);
