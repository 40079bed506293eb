using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>An actor's ILogger: entries carry the actor path as a scope, and Warning and above are also
/// published on the event stream as <see cref="LogEvent"/>.</summary>
internal sealed class ActorLogger(ActorSystem system, ActorPath path, ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) =>
        inner.IsEnabled(logLevel) || (logLevel >= LogLevel.Warning && system.EventStream.HasSubscribers(typeof(LogEvent)));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (inner.IsEnabled(logLevel))
        {
            using (inner.BeginScope("{ActorPath}", path.ToString()))
                inner.Log(logLevel, eventId, state, exception, formatter);
        }
        if (logLevel >= LogLevel.Warning && system.EventStream.HasSubscribers(typeof(LogEvent)))
            system.EventStream.Publish(new LogEvent(logLevel, path.ToString(), formatter(state, exception), exception));
    }
}
