using Ingrain.Actors.Dispatch;

namespace Ingrain.Actors;

public static class ActorRefExtensions
{
    /// <summary>Sends with "no sender" (replies go to dead letters).</summary>
    public static void Tell(this IActorRef receiver, object message) => receiver.Tell(message, null);

    /// <summary>Sends keeping the original sender of the message being handled in <paramref name="context"/>.</summary>
    public static void Forward(this IActorRef receiver, object message, IActorContext context) =>
        receiver.Tell(message, context.Sender);

    /// <summary>Mailbox counters of a local actor (queued, dropped); <see cref="MailboxStats.None"/> for other refs.</summary>
    public static MailboxStats GetMailboxStats(this IActorRef actor) =>
        (actor as InternalActorRef)?.MailboxStats ?? MailboxStats.None;

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and returns its first reply. A reply of
    /// <see cref="Status.Failure"/> throws its cause; a reply that is not a <typeparamref name="T"/> throws
    /// <see cref="InvalidCastException"/>; no reply within <paramref name="timeout"/> (measured on the system's
    /// TimeProvider) throws <see cref="AskTimeoutException"/>.
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef receiver, object message, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var target = receiver.AsInternal();
        var promise = new PromiseActorRef(target.System, target.Path);
        receiver.Tell(message, promise);
        object reply;
        try
        {
            reply = await promise.Task.WaitAsync(timeout, target.System.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            promise.Expire();
            throw new AskTimeoutException(
                $"Ask timed out on {receiver.Path} after {timeout.TotalMilliseconds:0} ms (message: {message.GetType().Name}).");
        }
        return reply switch
        {
            Status.Failure failure => throw failure.Cause,
            T typed => typed,
            _ => throw new InvalidCastException(
                $"Ask to {receiver.Path} expected a reply of type {typeof(T).Name} but got {reply.GetType().Name}: {reply}"),
        };
    }
}
