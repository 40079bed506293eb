using Ingrain.Probes.Packets;

namespace Ingrain.Probes.Dns;

/// <summary>The DNS probe's own counters (by DNS message), shown in the status after the common ones.</summary>
public sealed class DnsProbeCounters : PacketProbeCounters;
