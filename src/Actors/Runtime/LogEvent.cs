using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>
/// A log entry at Warning or above, published on the event stream in addition to going to the ILogger, so tests
/// (the TestKit's EventFilter) can assert on logged failures. <see cref="Source"/> is the actor path.
/// </summary>
public sealed record LogEvent(LogLevel Level, string Source, string Message, Exception? Cause);
