using Ingrain.Probes.Packets;

namespace Ingrain.Probes.Tls;

/// <summary>The TLS probe's own counters (by hello), shown in the status after the common ones.</summary>
public sealed class TlsProbeCounters : PacketProbeCounters;
