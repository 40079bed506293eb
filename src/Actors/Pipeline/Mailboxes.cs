using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors.Pipeline;

/// <summary>Maps a component's configured inbox to the runtime's mailbox options.</summary>
internal static class Mailboxes
{
    public static MailboxOptions For(MailboxSpec spec) => MailboxOptions.Bounded(spec.Capacity, spec.Overflow switch
    {
        EdgeOverflow.DropIncoming => OverflowPolicy.DropIncoming,
        EdgeOverflow.DropOldest => OverflowPolicy.DropOldest,
        _ => OverflowPolicy.Backpressure,
    });

    /// <summary>
    /// Sends a control message (a <see cref="Drain"/>) that must not be lost: a target under a drop policy would
    /// discard it when full, so wait until its mailbox has room first. Backpressure mailboxes simply await space.
    /// </summary>
    public static async Task SendControlAsync(IActorRef target, object message, IActorRef? sender, CancellationToken cancellationToken = default)
    {
        var stats = target.GetMailboxStats();
        if (stats.Options.Capacity is { } capacity && stats.Options.Overflow != OverflowPolicy.Backpressure)
        {
            while (stats.Count >= capacity) await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
        await target.TellAsync(message, sender, cancellationToken).ConfigureAwait(false);
    }
}
