using System.Threading.Channels;
using Ingrain.Actors.Components;

namespace Ingrain.Actors.Topology.SelfMetrics;

/// <summary>
/// From the topology actor (on its self-metrics timer) to the self-metrics probe: the latest status only. A status
/// the probe had no time to send is replaced by the next one, which loses nothing, since counters are sent as
/// the change since the last status sent.
/// </summary>
internal sealed class SelfMetricsFeed
{
    private readonly Channel<IReadOnlyList<ComponentStatus>> _channel = Channel.CreateBounded<IReadOnlyList<ComponentStatus>>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

    public ChannelReader<IReadOnlyList<ComponentStatus>> Reader => _channel.Reader;

    public void Publish(IReadOnlyList<ComponentStatus> status) => _channel.Writer.TryWrite(status);
}
