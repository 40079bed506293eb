using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Ingrain.Actors.Logging;

/// <summary>The logger factory Akka's own log events go to (given to the actor system as a setup).</summary>
public sealed class ActorLogSetup(ILoggerFactory loggerFactory) : Setup
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}

/// <summary>
/// Akka.NET's logger (in <c>akka.loggers</c>): writes Akka's log events to Microsoft.Extensions.Logging under a
/// category that names where they come from — the actor's path (<c>akka://ingrain/user/topology/…</c>) or, for
/// events not from an actor, their source — so an operator can tell which actor said what and filter by it.
/// (Akka.Hosting's logger files everything an actor system says under the class that logged it.)
/// </summary>
public sealed class ActorLogBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    // Sources are actor paths and a few class names: a bounded set in an agent, cached so a logger is made once each.
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);
    private readonly ILoggerFactory _loggerFactory;

    public ActorLogBridge()
    {
        var setup = Context.System.Settings.Setup.Get<ActorLogSetup>();
        if (!setup.HasValue) throw new InvalidOperationException($"{nameof(ActorLogBridge)} needs an {nameof(ActorLogSetup)} in the actor system's setup");
        _loggerFactory = setup.Value.LoggerFactory;
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent log:
                Write(log);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent log)
    {
        var category = string.IsNullOrEmpty(log.LogSource) ? log.LogClass.FullName ?? "Akka" : log.LogSource;
        var logger = _loggers.GetOrAdd(category, _loggerFactory.CreateLogger);
        var level = AlreadyReported(log.Cause) ? LogLevel.Debug : Level(log.LogLevel());
        if (!logger.IsEnabled(level)) return;
        logger.Log(level, log.Cause, "{Message}", Text(log.Message));
    }

    private static bool AlreadyReported(Exception? cause)
    {
        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is IReportedFailure) return true;
        }
        return false;
    }

    private static string Text(object message)
    {
        try
        {
            return (message is LogMessage m ? m.ToString() : message?.ToString()) ?? "";
        }
        catch (FormatException e)
        {
            return $"(unformattable log message: {e.Message})";
        }
    }

    private static LogLevel Level(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
