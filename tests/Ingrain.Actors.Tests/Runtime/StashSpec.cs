using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class StashSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    /// <summary>Stashes everything until "open"; then replays the stash in order and echoes from then on.</summary>
    private sealed class Gatekeeper : ReceiveActor
    {
        public Gatekeeper()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(Open);
                Stash.UnstashAll();
            });
            Receive<string>(s => s == "twice", _ =>
            {
                Stash.Stash();
                try
                {
                    Stash.Stash();
                }
                catch (IllegalActorStateException e)
                {
                    Sender.Tell(e, Self);
                }
            });
            Receive<string>(s => s == "boom", _ => throw new InvalidOperationException("boom"));
            ReceiveAny(_ => Stash.Stash());
        }

        private void Open() => ReceiveAny(m => Sender.Tell(m, Self));
    }

    [Fact]
    public async Task UnstashAll_replays_stashed_messages_in_order_before_newer_ones()
    {
        var actor = ActorOf(Props.Create(() => new Gatekeeper()));
        foreach (var m in new object[] { 1, 2, 3, "open", 4 }) actor.Tell(m, TestActor);
        Assert.Equal([1, 2, 3, 4], await ReceiveNAsync(4));
    }

    [Fact]
    public async Task Stashing_the_same_message_twice_is_an_error()
    {
        var actor = ActorOf(Props.Create(() => new Gatekeeper()));
        actor.Tell("twice", TestActor);
        await ExpectMsgAsync<IllegalActorStateException>(e => e.Message.Contains("twice"));
    }

    [Fact]
    public async Task The_same_message_object_delivered_twice_may_be_stashed_twice()
    {
        var actor = ActorOf(Props.Create(() => new Gatekeeper()));
        var payload = new object();
        actor.Tell(payload, TestActor);
        actor.Tell(payload, TestActor);
        actor.Tell("open", TestActor);
        await ExpectMsgAsync(payload);
        await ExpectMsgAsync(payload);
    }

    [Fact]
    public async Task On_restart_the_stash_goes_back_to_the_front_of_the_mailbox()
    {
        var actor = ActorOf(Props.Create(() => new Gatekeeper()));
        foreach (var m in new object[] { 1, 2, "boom", "open", 3 }) actor.Tell(m, TestActor);
        // 1 and 2 were stashed when "boom" failed; the restart puts them back at the front of the mailbox, so the new
        // instance stashes them again, and "open" replays them in their original order, before 3.
        Assert.Equal([1, 2, 3], await ReceiveNAsync(3));
    }

    [Fact]
    public async Task A_bounded_stash_throws_StashOverflowException()
    {
        var actor = ActorOf(Props.Create(() => new Gatekeeper()).WithStashCapacity(2));
        await EventFilter.Exception<StashOverflowException>().ExpectOneAsync(() =>
        {
            foreach (var m in new object[] { 1, 2, 3 }) actor.Tell(m, TestActor);
            return Task.CompletedTask;
        });
    }
}
