using System.Threading.Channels;
using Ingrain.Actors;

namespace Ingrain.TestKit;

/// <summary>The actor behind a TestKit or TestProbe: queues every message for the Expect methods. It handles
/// <see cref="Terminated"/> too (so watching never causes a DeathPactException).</summary>
internal sealed class TestActor(ChannelWriter<ReceivedMessage> queue) : ActorBase
{
    internal sealed record WatchCommand(IActorRef Target);

    internal sealed record UnwatchCommand(IActorRef Target);

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case WatchCommand watch:
                Context.Watch(watch.Target);
                break;
            case UnwatchCommand unwatch:
                Context.Unwatch(unwatch.Target);
                break;
            default:
                queue.TryWrite(new ReceivedMessage(message, Sender));
                break;
        }
        return true;
    }
}
