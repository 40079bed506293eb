namespace Ingrain.Probes.Packets;

/// <summary>
/// What one probe asks of the shared packet capture: its class bit (<see cref="PacketAbi.ClassDns"/>,
/// <see cref="PacketAbi.ClassTls"/>), the ports whose packets are its class (none for a class the kernel recognises by
/// content, such as TLS), and a process whose packets it does not want (the agent itself; 0 for none).
/// </summary>
internal sealed record PacketConsumer(byte Class, IReadOnlyList<int> Ports, int IgnoredProcessId);
