using System.Globalization;
using Ingrain.Probes.Sockets;

namespace Ingrain.Probes.Network;

/// <summary>The tags every network measurement starts with: the process, then the endpoints.</summary>
internal static class NetworkTags
{
    public static void AddOwner(List<KeyValuePair<string, string>> pairs, SocketOwner? owner)
    {
        pairs.Add(new("process_id", (owner?.ProcessId ?? 0).ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("process_str", owner?.Command ?? ""));
        if (owner is null) return;
        pairs.Add(new("thread_id", owner.ThreadId.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("thread_str", owner.ThreadCommand));
        pairs.Add(new("uid_id", owner.Uid.ToString(CultureInfo.InvariantCulture)));
    }

    public static void AddTuple(List<KeyValuePair<string, string>> pairs, SocketTuple t)
    {
        pairs.Add(new("s_ip", t.Local.ToString()));
        pairs.Add(new("s_port", t.LocalPort.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("d_ip", t.Remote.ToString()));
        pairs.Add(new("d_port", t.RemotePort.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("proto", t.Protocol));
        pairs.Add(new("family", t.Family));
    }
}
