using Microsoft.Extensions.Logging;

namespace Ingrain.Agent;

/// <summary>
/// The agent's logging: single-line console logs, every level on stderr (stdout carries the data).
/// INGRAIN_LOG_LEVEL (e.g. Debug) overrides the default Information level.
/// </summary>
internal static class AgentLogging
{
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => Configure(builder));

    public static ILoggingBuilder Configure(ILoggingBuilder builder) => builder
        .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("INGRAIN_LOG_LEVEL"), true, out var level)
            ? level : LogLevel.Information)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
}
