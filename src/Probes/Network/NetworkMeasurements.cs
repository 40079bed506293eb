namespace Ingrain.Probes.Network;

/// <summary>The measurement names of the network probe (a contract: docs/probes.md).</summary>
public static class NetworkMeasurements
{
    public const string ConnectionOut = "connection.out";
    public const string ConnectionIn = "connection.in";
    public const string ConnectionClose = "connection.close";
    public const string VolumeOut = "volume.out";
    public const string VolumeIn = "volume.in";

    public static readonly IReadOnlyList<string> All = [ConnectionOut, ConnectionIn, ConnectionClose, VolumeOut, VolumeIn];
}
