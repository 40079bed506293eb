using Microsoft.Extensions.Logging;

namespace Ingrain.Topology.Modules;

/// <summary>
/// What a probe gets from its host: its name, where to log, which clock to read, and its counters — which outlive
/// a restart, so the operator sees totals across restarts.
/// </summary>
public sealed record ProbeContext(string Name, ILoggerFactory LoggerFactory, TimeProvider Time, ProbeCounters Counters);
