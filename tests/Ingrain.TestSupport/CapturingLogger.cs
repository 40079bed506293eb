using Microsoft.Extensions.Logging;

namespace Ingrain.TestSupport;

/// <summary>Keeps every formatted log line, as the agent's console logger would print it.</summary>
public sealed class CapturingLogger : ILogger, ILoggerProvider
{
    private readonly List<string> _lines = [];
    private readonly List<(string Category, string Line)> _entries = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>Every line with the category it was logged under (<see cref="Lines"/> from <see cref="CreateLogger"/>'s loggers).</summary>
    public IReadOnlyList<(string Category, string Line)> Entries
    {
        get { lock (_lines) return [.. _entries]; }
    }

    /// <summary>As a provider every category logs into this one list.</summary>
    public ILogger CreateLogger(string categoryName) => new Categorized(this, categoryName);

    void IDisposable.Dispose() { }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Add("", $"{logLevel}: {formatter(state, exception)}");

    private void Add(string category, string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            _entries.Add((category, line));
        }
    }

    private sealed class Categorized(CapturingLogger into, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            into.Add(category, $"{logLevel}: {formatter(state, exception)}");
    }
}
