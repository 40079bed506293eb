using Ingrain.Actors.Dispatch;
using Ingrain.Actors.Topology;

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
}
