using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingrain.Topology.Modules;

/// <summary>What a step gets from its host: where to log, which clock to read, and its counters.</summary>
public sealed record StepContext(ILogger Logger, TimeProvider Time, ComponentCounters Counters)
{
    /// <summary>A context that logs nowhere and reads the system clock; for tools and tests that need no logs.</summary>
    public static StepContext Default() => new(NullLogger.Instance, TimeProvider.System, new ComponentCounters());
}
