using Ingrain.Actors.Topology;

namespace Ingrain.Probes.Network;

/// <summary>The HOCON keys of the network probe (<c>type = network</c>), mapped onto <see cref="NetworkProbeOptions"/>.
/// Every default comes from reference.hocon (<c>ingrain.defaults.probes.network</c>).</summary>
public static class NetworkProbeSettings
{
    public static NetworkProbeOptions Parse(ConfigSection s)
    {
        var measurements = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in s.StringList("measurements", required: true))
        {
            if (NetworkMeasurements.All.Contains(name)) measurements.Add(name);
            else s.Error("measurements", $"unknown measurement \"{name}\" (known: {string.Join(", ", NetworkMeasurements.All)})");
        }
        if (measurements.Count == 0 && s.Errors.Count == 0) s.Error("measurements", "name at least one measurement");
        var interval = s.Duration("volume-interval", TimeSpan.FromSeconds(1), min: TimeSpan.FromMilliseconds(100));
        var ignored = new HashSet<string>(s.StringList("ignore-processes"), StringComparer.Ordinal);
        // The agent's own traffic (backends, the exec step's commands) would otherwise feed back into its output.
        var ignoreSelf = s.Bool("ignore-self", true);
        var ownerWait = s.Duration("owner-wait", TimeSpan.FromSeconds(1), min: TimeSpan.Zero);
        return new NetworkProbeOptions(measurements, interval, ignored, ignoreSelf ? Environment.ProcessId : 0, ownerWait);
    }
}
