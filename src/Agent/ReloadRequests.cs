using System.Threading.Channels;

namespace Ingrain.Agent;

/// <summary>Why a reload was asked for (SIGHUP, a changed file); read one at a time by <see cref="ReloadService"/>.</summary>
internal sealed class ReloadRequests
{
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>();

    public void Request(string reason) => _requests.Writer.TryWrite(reason);

    public ChannelReader<string> Reader => _requests.Reader;
}
