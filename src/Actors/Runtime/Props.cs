using Ingrain.Actors.Dispatch;
using Ingrain.Actors.Supervision;

namespace Ingrain.Actors;

/// <summary>
/// The immutable recipe for an actor: how to construct it, its mailbox, and the strategy it applies to its own
/// children. <c>With*</c> methods return copies. The factory runs once per incarnation (again on every restart),
/// so it must build a fresh instance each time.
/// </summary>
public sealed record Props
{
    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        Factory = factory;
    }

    public Type ActorType { get; }

    internal Func<ActorBase> Factory { get; }

    public MailboxOptions Mailbox { get; private init; } = MailboxOptions.Unbounded;

    /// <summary>Strategy for this actor's children; when null the actor's own <c>SupervisorStrategy()</c> applies.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; private init; }

    /// <summary>Maximum user messages per turn before the actor yields its thread; null uses the system default.</summary>
    public int? Throughput { get; private init; }

    /// <summary>Maximum number of stashed messages; null means unbounded.</summary>
    public int? StashCapacity { get; private init; }

    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory);
    }

    public static Props Create<TActor>() where TActor : ActorBase, new() => new(typeof(TActor), static () => new TActor());

    public Props WithMailbox(MailboxOptions mailbox) => this with { Mailbox = mailbox ?? throw new ArgumentNullException(nameof(mailbox)) };

    public Props WithSupervisorStrategy(SupervisorStrategy strategy) =>
        this with { SupervisorStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy)) };

    public Props WithThroughput(int throughput) => throughput > 0
        ? this with { Throughput = throughput }
        : throw new ArgumentOutOfRangeException(nameof(throughput), throughput, "Throughput must be > 0.");

    public Props WithStashCapacity(int capacity) => capacity > 0
        ? this with { StashCapacity = capacity }
        : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Stash capacity must be > 0.");

    public override string ToString() => $"Props({ActorType.Name}, {Mailbox})";
}
