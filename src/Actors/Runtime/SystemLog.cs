using Ingrain.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>The runtime's own log: each entry names the actor path, goes to the ILogger and, at Warning and
/// above, is published as a <see cref="LogEvent"/>.</summary>
internal sealed class SystemLog(ILogger logger, EventStream eventStream)
{
    public void Error(ActorPath path, Exception cause, string message) => Write(LogLevel.Error, path.ToString(), message, cause);

    /// <summary>Supervision outcome, logged as Akka does: Resume as Warning, Restart and Stop as Error.</summary>
    public void Failure(ActorPath child, Exception cause, Directive directive) =>
        Write(directive == Directive.Resume ? LogLevel.Warning : LogLevel.Error, child.ToString(),
            $"{cause.GetType().Name}: {cause.Message} (supervisor decided: {directive})", cause);

    public void DeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Dead letter {MessageType} from {Sender} to {ActorPath}: {Message}",
                message.GetType().Name, sender?.Path.ToString() ?? "no sender", recipient.Path, message);
    }

    public void Unhandled(object message, IActorRef sender, IActorRef recipient)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Unhandled {MessageType} from {Sender} in {ActorPath}: {Message}",
                message.GetType().Name, sender.Path, recipient.Path, message);
    }

    public void Write(LogLevel level, string source, string message, Exception? cause)
    {
        logger.Log(level, cause, "{ActorPath}: {Message}", source, message);
        if (level >= LogLevel.Warning && eventStream.HasSubscribers(typeof(LogEvent)))
            eventStream.Publish(new LogEvent(level, source, message, cause));
    }
}
