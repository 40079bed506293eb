using Microsoft.Extensions.Logging;

namespace Ingrain.Probes.Network;

/// <summary>Registers the network probe: HOCON <c>type = network</c>, opcode Connection.</summary>
public sealed class NetworkModule : IProbeModule
{
    public string Type => NetworkProbe.ProbeType;

    public IReadOnlyList<OpCode> OpCodes { get; } = [OpCode.Connection];

    /// <summary>Without settings: every measurement, 10 s volume interval, the agent ignored (as reference.hocon has it).</summary>
    public IProbe Attach(ProbeContext context) =>
        Attach(new NetworkProbeOptions(new HashSet<string>(NetworkMeasurements.All), TimeSpan.FromSeconds(10), new HashSet<string>(),
            Environment.ProcessId, TimeSpan.FromSeconds(1)), context);

    /// <summary>Attaches with the settings the agent parsed from HOCON (<see cref="NetworkProbeSettings"/>).</summary>
    public IProbe Attach(NetworkProbeOptions options, ProbeContext context) =>
        NetworkProbe.Attach(options, context.LoggerFactory?.CreateLogger<NetworkProbe>());
}
