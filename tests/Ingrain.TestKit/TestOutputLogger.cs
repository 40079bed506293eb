using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Ingrain.TestKit;

/// <summary>Sends the system's log to xunit's test output, so a failing test shows what the actors logged.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName, minimum);

    public void Dispose() { }

    private sealed class TestOutputLogger(ITestOutputHelper output, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try
            {
                output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}] {category}: {formatter(state, exception)}" +
                                 (exception is null ? "" : $"{Environment.NewLine}{exception}"));
            }
            catch (InvalidOperationException)
            {
                // xunit refuses output once the test has finished; late log lines from stopping actors are dropped.
            }
        }
    }
}
