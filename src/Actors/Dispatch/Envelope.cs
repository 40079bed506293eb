namespace Ingrain.Actors.Dispatch;

/// <summary>
/// A user message and its sender as it sits in a mailbox. A value type, so queuing a message allocates
/// nothing beyond the message itself.
/// </summary>
internal readonly struct Envelope(object message, IActorRef? sender)
{
    public readonly object Message = message;
    public readonly IActorRef? Sender = sender;
}
