using Microsoft.Extensions.Logging;

namespace Ingrain.TestSupport;

/// <summary>Keeps every formatted log line, as the agent's console logger would print it.</summary>
public sealed class CapturingLogger : ILogger, ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>As a provider every category logs into this one list.</summary>
    public ILogger CreateLogger(string categoryName) => this;

    void IDisposable.Dispose() { }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
