using Microsoft.Extensions.Logging;

namespace Ingrain.Topology.Modules;

/// <summary>What a backend writer may use when it is built.</summary>
public sealed record BackendContext(ILoggerFactory LoggerFactory, TimeProvider Time);
